import * as tf from '@tensorflow/tfjs';
import { transposeData } from './context';

describe('transposeData', () => {
  it('equals tf.transpose for the weight permutations the converters use', () => {
    for (const [shape, perm] of [
      [[3, 2, 4, 5], [3, 2, 0, 1]],
      [[2, 3, 6], [2, 0, 1]],
      [[4, 5], [1, 0]],
      [[2, 3, 4], [0, 1, 2]],
    ] as [number[], number[]][]) {
      const t = tf.randomNormal(shape, 0, 1, 'float32', 1);
      const got = transposeData(t.dataSync() as Float32Array, shape, perm);
      const want = t.transpose(perm);
      expect(got.shape).toEqual(want.shape);
      expect(Array.from(got.data)).toEqual(Array.from(want.dataSync()));
    }
  });
});
