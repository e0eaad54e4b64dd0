import * as tf from '@tensorflow/tfjs';
import { resolveParams, type HeadDims } from './head';
import { MarginHead } from './margin-head';
import { arcMarginTarget } from './math';

/** Defaults of the original FFEM (train/main.py: scale 60; angular_margin_layer.py: margin 0.5). */
export const ARC_FACE_DEFAULTS = { scale: 60, margin: 0.5 };

/**
 * ArcFace (Deng et al., CVPR 2019) as FFEM train/layers/angular_margin_layer.py:
 * target logit s·cos(θ + m) where cos θ > cos(π − m), else s·(cos θ − m·sin m); others s·cos θ.
 */
export function createArcFace(params: Record<string, unknown>, dims: HeadDims): MarginHead {
  const p = resolveParams('AngularMargin', params, ARC_FACE_DEFAULTS);
  return new MarginHead('AngularMargin', dims, p.scale, (cos: tf.Tensor2D) => arcMarginTarget(cos, p.margin), p);
}
