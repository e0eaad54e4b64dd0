import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { NormAwareReweight, NORM_AWARE_REWEIGHT } from './norm-aware-reweight';
import { gradCheck } from '../test-helpers';

describe('NormAwareReweight', () => {
  const x = tf.randomNormal([3, 2, 2, 5], 0, 1, 'float32', 1);

  it('scales every position to the mean per-position norm of its image', () => {
    const y = new NormAwareReweight({ mean: 'image' }).apply(x) as tf.Tensor;
    const normsIn = tf.norm(x, 'euclidean', -1).arraySync() as number[][][];
    const normsOut = tf.norm(y, 'euclidean', -1).arraySync() as number[][][];
    normsIn.forEach((img, b) => {
      const mean = img.flat().reduce((a, v) => a + v, 0) / 4;
      expectClose(normsOut[b].flat(), [mean, mean, mean, mean], { atol: 1e-5, rtol: 1e-5 }, `image ${b}`);
    });
  });

  it("with mean 'batch' uses the one mean over the whole batch (the original)", () => {
    const y = new NormAwareReweight({ mean: 'batch' }).apply(x) as tf.Tensor;
    const mean = tf.mean(tf.norm(x, 'euclidean', -1)).dataSync()[0];
    expectClose(tf.norm(y, 'euclidean', -1).dataSync(), new Array(12).fill(mean), { atol: 1e-5, rtol: 1e-5 });
  });

  it("keeps an image's output independent of the rest of its batch ('image'), unlike 'batch'", () => {
    const other = tf.concat([tf.slice(x, [0], [1]), tf.mul(tf.slice(x, [1], [2]), 7)]);
    for (const training of [false, true]) {
      const layer = new NormAwareReweight({ mean: 'image' });
      const a = tf.slice(layer.apply(x, { training }) as tf.Tensor, [0], [1]).dataSync();
      const b = tf.slice(layer.apply(other, { training }) as tf.Tensor, [0], [1]).dataSync();
      expect(Array.from(b)).toEqual(Array.from(a));
    }
    const batch = new NormAwareReweight({ mean: 'batch' });
    const a = tf.slice(batch.apply(x) as tf.Tensor, [0], [1]).dataSync();
    const b = tf.slice(batch.apply(other) as tf.Tensor, [0], [1]).dataSync();
    expect(Math.abs(a[0] - b[0])).toBeGreaterThan(1e-3);
  });

  it.each(['image', 'batch'] as const)('has gradients that match central finite differences (%s)', (mean) => {
    const layer = new NormAwareReweight({ mean });
    const small = tf.randomNormal([2, 2, 2, 3], 0, 1, 'float32', 2);
    const cot = tf.randomNormal([2, 2, 2, 3], 0, 1, 'float32', 3);
    gradCheck((v) => tf.sum(tf.mul(layer.apply(v) as tf.Tensor, cot)) as tf.Scalar, small, { atol: 2e-3, rtol: 3e-2 });
  });

  it('serialises its config and is registered under its className', () => {
    const layer = new NormAwareReweight({ mean: 'batch', name: 'r' });
    expect(layer.getConfig()).toMatchObject({ mean: 'batch', epsilon: 1e-12, name: 'r' });
    const cls = tf.serialization.SerializationMap.getMap().classNameMap[NORM_AWARE_REWEIGHT];
    expect(cls?.[0]).toBe(NormAwareReweight);
    expect(() => new NormAwareReweight({ mean: 'channel' as 'image' })).toThrow(/mean/);
  });
});
