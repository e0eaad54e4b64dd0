import * as tf from '@tensorflow/tfjs';
import { expectParity, modelOf, randomInput } from '../spec-helpers';

type T = tf.SymbolicTensor;

describe('pooling converters', () => {
  it('MaxPooling2D same padding with stride 2 on an odd and an even size', async () => {
    const m = modelOf([7, 8, 3], (x) => tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x) as T);
    await expectParity(m, randomInput([2, 7, 8, 3]).sub(1));
  });

  it('AveragePooling2D same padding divides by the real cells only; valid padding', async () => {
    const same = modelOf([7, 8, 3], (x) => tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x) as T);
    await expectParity(same, randomInput([2, 7, 8, 3]));
    const valid = modelOf([7, 8, 3], (x) => tf.layers.averagePooling2d({ poolSize: [2, 3], padding: 'valid' }).apply(x) as T);
    await expectParity(valid, randomInput([2, 7, 8, 3]));
  });

  it('ZeroPadding2D then pooling keeps the zeros (windows of negative values at the border)', async () => {
    // onnxruntime folds a zero Pad into MaxPool as -inf padding; the exporter must not let it.
    const x = tf.tidy(() => randomInput([2, 8, 7, 3]).sub(1.2));
    for (const [pool, padding] of [
      [tf.layers.maxPooling2d, 'valid'],
      [tf.layers.maxPooling2d, 'same'],
      [tf.layers.averagePooling2d, 'valid'],
      [tf.layers.averagePooling2d, 'same'],
    ] as const) {
      const m = modelOf([8, 7, 3], (i) => {
        const y = tf.layers.zeroPadding2d({ padding: [[1, 2], [1, 0]] }).apply(i) as T;
        return pool({ poolSize: 3, strides: 2, padding }).apply(y) as T;
      });
      await expectParity(m, x);
    }
  });

  it('GlobalAveragePooling2D and GlobalMaxPooling2D after a conv and straight on the input', async () => {
    const x = randomInput([3, 4, 5, 3]);
    for (const pool of [tf.layers.globalAveragePooling2d, tf.layers.globalMaxPooling2d]) {
      await expectParity(modelOf([4, 5, 3], (i) => pool({}).apply(tf.layers.conv2d({ filters: 4, kernelSize: 3 }).apply(i)) as T), x);
      await expectParity(modelOf([4, 5, 3], (i) => pool({}).apply(i) as T), x);
    }
  });
});
