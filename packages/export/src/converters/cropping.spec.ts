import * as tf from '@tensorflow/tfjs';
import { expectParity, modelOf, randomInput } from '../spec-helpers';

type T = tf.SymbolicTensor;

describe('ZeroPadding2D / Cropping2D converters', () => {
  it('ZeroPadding2D with asymmetric padding then a valid conv', async () => {
    const m = modelOf([5, 6, 3], (x) => {
      const y = tf.layers.zeroPadding2d({ padding: [[1, 2], [0, 3]] }).apply(x) as T;
      return tf.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2 }).apply(y) as T;
    });
    await expectParity(m, randomInput([2, 5, 6, 3]));
  });

  it('ZeroPadding2D with one number; Cropping2D with and without a zero side', async () => {
    const x = randomInput([2, 5, 6, 3]);
    await expectParity(modelOf([5, 6, 3], (i) => tf.layers.zeroPadding2d({ padding: 1 }).apply(i) as T), x);
    await expectParity(modelOf([5, 6, 3], (i) => tf.layers.cropping2D({ cropping: [[1, 0], [2, 1]] }).apply(i) as T), x);
  });
});
