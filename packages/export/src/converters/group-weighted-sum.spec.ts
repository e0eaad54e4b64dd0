import * as tf from '@tensorflow/tfjs';
import { GroupWeightedSum } from '@ffem/models';
import { expectParity, modelOf, randomInput } from '../spec-helpers';

type T = tf.SymbolicTensor;

describe('GroupWeightedSum (GroupFace) converter', () => {
  for (const k of [1, 3]) {
    it(`sum_k p[:, k] * g_k with ${k} group(s)`, async () => {
      const m = modelOf([6], (x) => {
        const p = tf.layers.dense({ units: k, activation: 'softmax' }).apply(x) as T;
        const groups = Array.from({ length: k }, () => tf.layers.dense({ units: 5 }).apply(x) as T);
        return new GroupWeightedSum({}).apply([p, ...groups]) as T;
      });
      await expectParity(m, randomInput([4, 6]));
    });
  }
});
