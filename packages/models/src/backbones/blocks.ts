import * as tf from '@tensorflow/tfjs';
import type { BuildContext } from '../build-context';

type T = tf.SymbolicTensor;

export interface BnOptions {
  epsilon: number;
  momentum: number;
}

/** Conv2D with 'valid' padding (pad explicitly with `pad` first, as Keras' ResNets do). */
export function conv(
  ctx: BuildContext,
  x: T,
  name: string,
  filters: number,
  kernel: number,
  strides: number,
  useBias: boolean,
): T {
  return tf.layers
    .conv2d({
      name,
      filters,
      kernelSize: kernel,
      strides,
      padding: 'valid',
      useBias,
      kernelInitializer: ctx.glorotUniform(),
      kernelRegularizer: ctx.backboneRegularizer(),
    })
    .apply(x) as T;
}

/** Symmetric zero padding (PyTorch-style `padding=p`), so outputs match torch/Keras layouts. */
export function pad(x: T, name: string, p: number): T {
  return tf.layers.zeroPadding2d({ name, padding: [[p, p], [p, p]] }).apply(x) as T;
}

export function bn(x: T, name: string, o: BnOptions): T {
  return tf.layers.batchNormalization({ name, axis: -1, epsilon: o.epsilon, momentum: o.momentum }).apply(x) as T;
}

export function relu(x: T, name: string): T {
  return tf.layers.reLU({ name }).apply(x) as T;
}

/** The model's own input normalisation: [0, 1] RGB -> [-1, 1] (Keras resnet_v2 preprocess_input). */
export function normaliseInput(x: T): T {
  return tf.layers.rescaling({ name: 'normalise', scale: 2, offset: -1 }).apply(x) as T;
}
