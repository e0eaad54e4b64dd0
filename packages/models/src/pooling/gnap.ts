import * as tf from '@tensorflow/tfjs';
import { NormAwareReweight } from '../layers/norm-aware-reweight';
import { ScalelessBatchNorm } from '../layers/scaleless-batch-norm';

type T = tf.SymbolicTensor;

/**
 * Global Norm-Aware Pooling (arXiv 1808.00435; FFEM train/layers/norm_aware_pooling_layer.py):
 * BatchNorm(scale=False) (ScalelessBatchNorm: tfjs' own cannot train without scale) -> NormAwareReweight (L2-normalise each position, times the mean norm)
 * -> GlobalAveragePooling2D -> BatchNorm(scale=False). Keras BN defaults (eps 1e-3, momentum
 * 0.99) as the original. [N, h, w, C] -> [N, C].
 */
export function gnap(x: T, mean: 'image' | 'batch'): T {
  let y = new ScalelessBatchNorm({ name: 'gnap_bn_in' }).apply(x) as T;
  y = new NormAwareReweight({ name: 'gnap_reweight', mean }).apply(y) as T;
  y = tf.layers.globalAveragePooling2d({ name: 'gnap_pool' }).apply(y) as T;
  return new ScalelessBatchNorm({ name: 'gnap_bn_out' }).apply(y) as T;
}

/** Plain global average pooling: [N, h, w, C] -> [N, C]. */
export function gap(x: T): T {
  return tf.layers.globalAveragePooling2d({ name: 'gap_pool' }).apply(x) as T;
}
