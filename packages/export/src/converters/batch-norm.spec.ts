import * as tf from '@tensorflow/tfjs';
import { exportToOnnx } from '../export-onnx';
import { expectClose } from '@ffem/testing';
import { expectParity, modelOf, opTypes, PARITY_TOL, randomInput, runOnnx } from '../spec-helpers';

type T = tf.SymbolicTensor;

describe('BatchNormalization converter (inference form)', () => {
  it('matches tfjs on a 4-D channels-last tensor with non-trivial statistics', async () => {
    const m = modelOf([5, 6, 4], (x) => tf.layers.batchNormalization({ epsilon: 0.01 }).apply(x) as T);
    const bytes = await expectParity(m, randomInput([3, 5, 6, 4]));
    expect(opTypes(bytes)).toContain('BatchNormalization');
  });

  it('handles center/scale off and a rank-2 input (the embedding head BN)', async () => {
    const m = modelOf([6], (x) => {
      const y = tf.layers.batchNormalization({ center: false }).apply(x) as T;
      return tf.layers.batchNormalization({ scale: false }).apply(y) as T;
    });
    await expectParity(m, randomInput([4, 6]));
  });

  it('normalises a non-channel axis through Mul + Add, by the Keras formula', async () => {
    // tfjs 4.22 itself computes BN over a non-last axis wrongly (its broadcast of the statistics
    // does not follow the axis), so this compares with the formula written out instead of predict().
    const m = modelOf([5, 6, 4], (x) => tf.layers.batchNormalization({ axis: 2, epsilon: 0.01 }).apply(x) as T);
    const x = randomInput([2, 5, 6, 4]);
    const bytes = exportToOnnx(m);
    expect(opTypes(bytes)).not.toContain('BatchNormalization');
    const [gamma, beta, mean, variance] = m.layers[1].getWeights().map((w) => w.reshape([1, 1, 6, 1]));
    const want = tf.tidy(() => x.sub(mean).div(variance.add(0.01).sqrt()).mul(gamma).add(beta));
    const got = await runOnnx(bytes, x);
    expectClose(got.embedding.data, want.dataSync() as Float32Array, PARITY_TOL);
  });
});
