import * as tf from '@tensorflow/tfjs';
import { expectParity, modelOf, randomInput } from '../spec-helpers';

type T = tf.SymbolicTensor;

const conv = (x: T): T => tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(x) as T;

describe('Flatten / Reshape / Permute converters', () => {
  it('Flatten after a conv flattens in NHWC order', async () => {
    const m = modelOf([3, 4, 2], (x) => tf.layers.dense({ units: 3 }).apply(tf.layers.flatten().apply(conv(x))) as T);
    await expectParity(m, randomInput([2, 3, 4, 2]));
  });

  it('Reshape (with -1) and Permute', async () => {
    const x = randomInput([2, 3, 4, 2]);
    await expectParity(modelOf([3, 4, 2], (i) => tf.layers.reshape({ targetShape: [6, -1] }).apply(conv(i)) as T), x);
    await expectParity(modelOf([3, 4, 2], (i) => tf.layers.permute({ dims: [3, 1, 2] }).apply(conv(i)) as T), x);
  });
});
