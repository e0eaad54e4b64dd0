import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { batchNormTraining, installBatchNormTraining, uninstallBatchNormTraining } from './batch-norm-training';

const tol = { atol: 1e-4, rtol: 1e-4 };

/** The composition tfjs-layers uses in training: tf.moments, then tf.batchNorm. */
function reference(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
  return tf.batchNorm(x, mean, variance, beta, gamma, eps);
}

describe('batchNormTraining', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([
    [[4, 5, 6, 3]],
    [[7, 8]],
    [[2, 3, 1, 5]],
  ])('matches tf.moments + tf.batchNorm and their autodiff gradients, shape %j', (shape) => {
    tf.tidy(() => {
      const c = shape[shape.length - 1];
      const x = tf.randomNormal(shape, 0.5, 2, 'float32', 1);
      const gamma = tf.randomNormal([c], 1, 0.3, 'float32', 2) as tf.Tensor1D;
      const beta = tf.randomNormal([c], 0, 1, 'float32', 3) as tf.Tensor1D;
      const dy = tf.randomNormal(shape, 0, 1, 'float32', 4);
      const ours = batchNormTraining(x, gamma, beta, 1e-3);
      expectClose(ours.y.dataSync(), reference(x, gamma, beta, 1e-3).dataSync(), tol, 'y');
      const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
      expectClose(ours.mean.dataSync(), mean.dataSync(), tol, 'mean');
      expectClose(ours.variance.dataSync(), variance.dataSync(), tol, 'variance');
      tf.dispose([ours.mean, ours.variance]);
      const lossOf = (f: (a: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D) => tf.Tensor) => (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, g as tf.Tensor1D, b as tf.Tensor1D), dy));
      const got = tf.grads(lossOf((a, g, b) => {
        const r = batchNormTraining(a, g, b, 1e-3);
        tf.dispose([r.mean, r.variance]);
        return r.y;
      }))([x, gamma, beta]);
      const want = tf.grads(lossOf((a, g, b) => reference(a, g, b, 1e-3)))([x, gamma, beta]);
      ['dx', 'dgamma', 'dbeta'].forEach((name, i) => expectClose(got[i].dataSync(), want[i].dataSync(), tol, name));
      // Not vacuous: the input gradient is not zero.
      expect(Math.max(...Array.from(got[0].dataSync()).map(Math.abs))).toBeGreaterThan(1e-3);
    });
  });

  it('agrees with finite differences of the loss', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([3, 4], 0, 1, 'float32', 5);
      const gamma = tf.tensor1d([1.5, -0.5, 2, 0.7]);
      const beta = tf.tensor1d([0.1, 0.2, -0.3, 0]);
      const w = tf.randomNormal([3, 4], 0, 1, 'float32', 6);
      const loss = (a: tf.Tensor) => {
        const r = batchNormTraining(a, gamma, beta, 1e-3);
        tf.dispose([r.mean, r.variance]);
        return tf.sum(tf.mul(tf.square(r.y), w));
      };
      const g = tf.grad(loss)(x).dataSync();
      const xs = x.dataSync();
      const h = 1e-2;
      for (let i = 0; i < xs.length; i++) {
        const plus = Float32Array.from(xs);
        const minus = Float32Array.from(xs);
        plus[i] += h;
        minus[i] -= h;
        const fd = (loss(tf.tensor(plus, [3, 4])).dataSync()[0] - loss(tf.tensor(minus, [3, 4])).dataSync()[0]) / (2 * h);
        expect(Math.abs(fd - g[i])).toBeLessThan(2e-2 * (1 + Math.abs(fd)));
      }
    });
  });
});

describe('tfjs-layers BatchNormalization with installBatchNormTraining', () => {
  afterAll(() => uninstallBatchNormTraining());

  /** One training step's gradients and the moving statistics after it, for a conv + BN + ReLU model. */
  function step(axis: number, install: boolean): Float32Array[] {
    if (install) installBatchNormTraining();
    else uninstallBatchNormTraining();
    return tf.tidy(() => {
      const input = tf.input({ shape: [5, 5, 3] });
      const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) });
      const bn = tf.layers.batchNormalization({ axis, momentum: 0.9, epsilon: 1e-3, gammaInitializer: tf.initializers.randomNormal({ mean: 1, stddev: 0.2, seed: 2 }), betaInitializer: tf.initializers.randomNormal({ stddev: 0.2, seed: 3 }) });
      const out = tf.layers.reLU().apply(bn.apply(conv.apply(input))) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: out });
      const x = tf.randomNormal([2, 5, 5, 3], 0, 1, 'float32', 4);
      const w = tf.randomNormal([2, 5, 5, 4], 0, 1, 'float32', 5);
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(model.apply(x, { training: true }) as tf.Tensor, w)) as tf.Scalar);
      const names = Object.keys(grads).sort();
      const inference = model.apply(x, { training: false }) as tf.Tensor;
      return [...names.map((n) => grads[n].dataSync() as Float32Array), ...bn.getWeights().map((t) => t.dataSync() as Float32Array), inference.dataSync() as Float32Array];
    });
  }

  it('gives the layer\'s own gradients, moving statistics and inference output (channels last)', () => {
    const own = step(-1, false);
    const fused = step(-1, true);
    expect(fused.length).toBe(own.length);
    fused.forEach((v, i) => expectClose(v, own[i], tol, `tensor ${i}`));
  });

  /** Kernels one training call of a fresh BatchNormalization layer runs. */
  async function kernelsOfTrainingCall(axis: number, shape: number[]): Promise<string[]> {
    const bn = tf.layers.batchNormalization({ axis });
    bn.apply(tf.zeros(shape), { training: false });
    const prof = await tf.profile(() => {
      tf.dispose(bn.apply(tf.randomNormal(shape), { training: true }) as tf.Tensor);
    });
    return prof.kernels.map((k) => k.name);
  }

  it('is used for channels-last training, and the layer\'s own code (tf.moments, tf.batchNorm) for other axes', async () => {
    installBatchNormTraining();
    expect(await kernelsOfTrainingCall(-1, [4, 3, 2])).not.toContain('FusedBatchNorm');
    expect(await kernelsOfTrainingCall(1, [4, 3, 2])).toContain('FusedBatchNorm');
    uninstallBatchNormTraining();
    expect(await kernelsOfTrainingCall(-1, [4, 3, 2])).toContain('FusedBatchNorm');
  });
});
