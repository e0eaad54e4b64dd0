import * as tf from '@tensorflow/tfjs';
import { NormAwareReweight } from '@ffem/models';
import { expectParity, modelOf, randomInput } from '../spec-helpers';

type T = tf.SymbolicTensor;

describe('NormAwareReweight (GNAP) converter', () => {
  for (const mean of ['image', 'batch'] as const) {
    it(`matches tfjs with mean '${mean}' on an NCHW-stored conv output, batch 3`, async () => {
      const m = modelOf([5, 4, 3], (x) => {
        const y = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same' }).apply(x) as T;
        const r = new NormAwareReweight({ mean }).apply(y) as T;
        return tf.layers.globalAveragePooling2d({}).apply(r) as T;
      });
      await expectParity(m, randomInput([3, 5, 4, 3]));
    });
  }

  it('keeps the epsilon floor (an all-zero position stays zero, not NaN)', async () => {
    const m = modelOf([2, 3, 4], (x) => new NormAwareReweight({ epsilon: 1e-6 }).apply(x) as T);
    const x = tf.tidy(() => randomInput([1, 2, 3, 4]).mul(tf.tensor([1, 0, 1], [1, 1, 3, 1])));
    await expectParity(m, x);
  });
});
