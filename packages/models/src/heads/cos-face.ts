import * as tf from '@tensorflow/tfjs';
import { resolveParams, type HeadDims } from './head';
import { MarginHead } from './margin-head';

/** CosFace paper defaults (Wang et al., CVPR 2018: s 64, m 0.35). */
export const COS_FACE_DEFAULTS = { scale: 64, margin: 0.35 };

/** CosFace / AM-softmax: target logit s·(cos θ − m); others s·cos θ. */
export function createCosFace(params: Record<string, unknown>, dims: HeadDims): MarginHead {
  const p = resolveParams('CosFace', params, COS_FACE_DEFAULTS);
  return new MarginHead('CosFace', dims, p.scale, (cos: tf.Tensor2D) => tf.sub(cos, p.margin) as tf.Tensor2D, p);
}
