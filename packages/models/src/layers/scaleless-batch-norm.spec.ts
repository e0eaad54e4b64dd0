import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { ScalelessBatchNorm, SCALELESS_BATCH_NORM } from './scaleless-batch-norm';
import { gradCheck } from '../test-helpers';

describe('ScalelessBatchNorm (Keras BatchNormalization(scale=False))', () => {
  const x = tf.randomNormal([4, 2, 3], 1, 2, 'float32', 8);

  function layer(): ScalelessBatchNorm {
    const l = new ScalelessBatchNorm({ momentum: 0.9, epsilon: 1e-3 });
    l.apply(tf.input({ shape: [2, 3] }));
    l.setWeights([tf.tensor1d([0.1, -0.2, 0.3]), tf.tensor1d([0.5, 1, -1]), tf.tensor1d([2, 0.5, 1.5])]);
    return l;
  }

  it('normalises with the moving statistics in inference mode, as the formula', () => {
    const y = layer().apply(x) as tf.Tensor;
    const xs = x.arraySync() as number[][][];
    const beta = [0.1, -0.2, 0.3], mean = [0.5, 1, -1], variance = [2, 0.5, 1.5];
    const expected = xs.flat(2).map((v, i) => (v - mean[i % 3]) / Math.sqrt(variance[i % 3] + 1e-3) + beta[i % 3]);
    expectClose(y.dataSync(), expected, { atol: 1e-5, rtol: 1e-5 });
  });

  it('normalises with the batch moments in training mode and updates the moving statistics', () => {
    const l = layer();
    const y = l.apply(x, { training: true }) as tf.Tensor;
    const { mean, variance } = tf.moments(x, [0, 1]);
    const ref = tf.add(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), tf.tensor1d([0.1, -0.2, 0.3]));
    expectClose(y.dataSync(), ref.dataSync(), { atol: 1e-5, rtol: 1e-5 });
    const [, movingMean, movingVar] = l.getWeights();
    const m = mean.dataSync(), v = variance.dataSync();
    expectClose(movingMean.dataSync(), [0.5, 1, -1].map((o, i) => o * 0.9 + m[i] * 0.1), { atol: 1e-5, rtol: 1e-5 });
    expectClose(movingVar.dataSync(), [2, 0.5, 1.5].map((o, i) => o * 0.9 + v[i] * 0.1), { atol: 1e-5, rtol: 1e-5 });
    expect(l.trainableWeights.map((w) => w.originalName.split('/').pop())).toEqual(['beta']);
  });

  it.each([false, true])('has input gradients that match central finite differences (training %s)', (training) => {
    const l = layer();
    const cot = tf.randomNormal([4, 2, 3], 0, 1, 'float32', 9);
    const small = tf.randomNormal([4, 2, 3], 0, 1, 'float32', 10);
    // Training mode also writes the moving statistics; the output does not depend on them.
    gradCheck((v) => tf.sum(tf.mul(l.apply(v, { training }) as tf.Tensor, cot)) as tf.Scalar, small, { atol: 2e-3, rtol: 3e-2 });
  });

  it('is registered under its className with a Keras-like config', () => {
    expect(tf.serialization.SerializationMap.getMap().classNameMap[SCALELESS_BATCH_NORM]?.[0]).toBe(ScalelessBatchNorm);
    expect(layer().getConfig()).toMatchObject({ axis: -1, momentum: 0.9, epsilon: 1e-3, center: true, scale: false });
  });
});
