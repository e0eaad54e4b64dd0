/** Copies the weights of one model into another of the same architecture (order and shapes checked). */
import * as tf from '@tensorflow/tfjs';

export function copyWeights(from: tf.LayersModel, to: tf.LayersModel, what: string): void {
  const src = from.weights;
  const dst = to.weights;
  if (src.length !== dst.length) {
    throw new Error(`${what}: ${src.length} weights, the model being trained has ${dst.length} (a different architecture?)`);
  }
  src.forEach((w, i) => {
    if (w.shape.join(',') !== dst[i].shape.join(',')) {
      throw new Error(`${what}: weight ${i} (${w.originalName}): shape [${w.shape}], expected [${dst[i].shape}] (${dst[i].originalName})`);
    }
  });
  to.setWeights(src.map((w) => w.read()));
}
