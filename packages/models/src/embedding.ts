import * as tf from '@tensorflow/tfjs';
import type { BuildContext } from './build-context';

type T = tf.SymbolicTensor;

/**
 * The embedding head of the original (FFEM train/custom_models/angular_margin_model.py):
 * Dense(D, kernel L2 weight decay) -> BatchNorm (Keras defaults). [N, C] -> [N, D].
 */
export function embeddingHead(ctx: BuildContext, x: T, dim: number): T {
  const y = tf.layers
    .dense({
      name: 'embedding_dense',
      units: dim,
      kernelInitializer: ctx.glorotUniform(),
      kernelRegularizer: ctx.embeddingRegularizer(),
    })
    .apply(x) as T;
  return tf.layers.batchNormalization({ name: 'embedding' }).apply(y) as T;
}
