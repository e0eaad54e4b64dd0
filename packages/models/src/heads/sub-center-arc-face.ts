import * as tf from '@tensorflow/tfjs';
import { resolveParams, type HeadDims } from './head';
import { MarginHead } from './margin-head';
import { arcMarginTarget } from './math';

/** Sub-center ArcFace defaults (Deng et al., ECCV 2020: K 3, s 64, m 0.5). */
export const SUB_CENTER_DEFAULTS = { scale: 64, margin: 0.5, subCenters: 3 };

/**
 * Sub-center ArcFace: K centres per class (columns c·K + k of [D, C·K]); cos θ of a class = the
 * max over its K centres; then the ArcFace margin (with its fallback) on the target class.
 */
export function createSubCenterArcFace(params: Record<string, unknown>, dims: HeadDims): MarginHead {
  const p = resolveParams('SubCenterArcFace', params, SUB_CENTER_DEFAULTS);
  return new MarginHead('SubCenterArcFace', dims, p.scale, (cos: tf.Tensor2D) => arcMarginTarget(cos, p.margin), p, p.subCenters);
}
