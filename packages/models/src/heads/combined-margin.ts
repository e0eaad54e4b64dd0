import * as tf from '@tensorflow/tfjs';
import { resolveParams, type HeadDims } from './head';
import { MarginHead } from './margin-head';
import { above, select } from './math';

/** insightface arcface_torch defaults for its ArcFace setting (s 64, m1 1, m2 0.5, m3 0). */
export const COMBINED_MARGIN_DEFAULTS = { scale: 64, m1: 1, m2: 0.5, m3: 0 };

/**
 * The combined margin of insightface (arcface_torch losses.py CombinedMarginLoss; the general
 * form of its MXNet train.py): target logit s·(cos(m1·θ + m2) − m3), θ = acos(clip(cos θ, ±(1 − 1e-7))).
 * Where m1·θ + m2 ≥ π (cos(·) would turn back up) the ArcFace fallback s·(cos θ − m2·sin m2 − m3)
 * is used, so (1, m, 0) is exactly AngularMargin and (1, 0, m) exactly CosFace; (m1, 0, 0) is
 * SphereFace-style. Others s·cos θ.
 */
export function createCombinedMargin(params: Record<string, unknown>, dims: HeadDims): MarginHead {
  const p = resolveParams('CombinedMargin', params, COMBINED_MARGIN_DEFAULTS);
  const target = (cos: tf.Tensor2D): tf.Tensor2D => {
    const theta = tf.acos(tf.clipByValue(cos, -1 + 1e-7, 1 - 1e-7));
    const t = tf.add(tf.mul(theta, p.m1), p.m2);
    const main = tf.sub(tf.cos(t), p.m3);
    const fallback = tf.sub(cos, p.m2 * Math.sin(p.m2) + p.m3);
    // t < π  <=>  not (t − π > 0): the main branch where step(t − π) is 0.
    return select(above(t, Math.PI), fallback, main) as tf.Tensor2D;
  };
  return new MarginHead('CombinedMargin', dims, p.scale, target, p);
}
