import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fusedBatchNormGradConfig } from './fused-batch-norm-grad';

// tfjs-core's own gradient, captured before anything replaces it: the reference.
const reference = tf.getGradient('FusedBatchNorm');

/**
 * Gradients of a training-mode batch norm (mean/variance from the batch, as layers does it).
 * (Without a scale tfjs 4.22 cannot record the op for backprop at all: the engine clones the
 * missing `scale` input. That is upstream of any gradient function, so it is not tested here.)
 */
function grads(config: tf.GradConfig, shape: number[], withScale: boolean): Float32Array[] {
  tf.registerGradient(config);
  return tf.tidy(() => {
    const x = tf.randomNormal(shape, 0.5, 2, 'float32', 3);
    const c = shape[shape.length - 1];
    const scale = tf.randomNormal([c], 1, 0.3, 'float32', 4);
    const offset = tf.randomNormal([c], 0, 1, 'float32', 5);
    const dy = tf.randomNormal(shape, 0, 1, 'float32', 6);
    const f = (xs: tf.Tensor, s: tf.Tensor, o: tf.Tensor): tf.Tensor => {
      const { mean, variance } = tf.moments(xs, [...Array(shape.length - 1).keys()]);
      return tf.batchNorm(xs, mean, variance, o, withScale ? s : undefined, 1e-3);
    };
    const g = tf.grads((xs: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => tf.mul(f(xs, s, o), dy));
    return g([x, scale, offset]).map((t) => t.dataSync() as Float32Array);
  });
}

describe('FusedBatchNorm gradient without tile', () => {
  afterAll(() => {
    if (reference) tf.registerGradient(reference);
  });

  it('captured the tfjs-core reference gradient', () => {
    expect(reference?.kernelName).toBe('FusedBatchNorm');
  });

  for (const backend of ['cpu', 'wasm']) {
    it.each([
      ['NHWC, with scale', [2, 3, 4, 5], true],
      ['NHWC, batch 1, odd sizes', [1, 3, 5, 7], true],
      ['rank 2 (dense features)', [6, 7], true],
    ] as const)(`${backend}: %s is bit-identical to tfjs-core's`, async (_name, shape, withScale) => {
      await tf.setBackend(backend);
      const expected = grads(reference as tf.GradConfig, [...shape], withScale);
      const actual = grads(fusedBatchNormGradConfig, [...shape], withScale);
      expect(actual.length).toBe(3);
      actual.forEach((a, i) => expect(Array.from(a)).toEqual(Array.from(expected[i])));
      expect(actual[0].some((v) => v !== 0)).toBe(true);
    });
  }
});
