import * as tf from '@tensorflow/tfjs';
import { expectParity, modelOf, opTypes, randomInput } from '../spec-helpers';

type T = tf.SymbolicTensor;

describe('inference-identity layers and Rescaling', () => {
  it('Dropout, GaussianNoise, GaussianDropout, AlphaDropout add no node', async () => {
    const m = modelOf([5], (x) => {
      let y = tf.layers.dense({ units: 4 }).apply(x) as T;
      y = tf.layers.dropout({ rate: 0.5 }).apply(y) as T;
      y = tf.layers.gaussianNoise({ stddev: 1 }).apply(y) as T;
      y = tf.layers.gaussianDropout({ rate: 0.3 }).apply(y) as T;
      return tf.layers.alphaDropout({ rate: 0.3 }).apply(y) as T;
    });
    const bytes = await expectParity(m, randomInput([3, 5]));
    expect(opTypes(bytes)).toEqual(['Gemm']);
  });

  it('Rescaling x * scale + offset (the models normalise input this way)', async () => {
    const m = modelOf([4, 4, 3], (x) => {
      const y = tf.layers.rescaling({ scale: 2, offset: -1 }).apply(x) as T;
      return tf.layers.conv2d({ filters: 2, kernelSize: 3 }).apply(y) as T;
    });
    await expectParity(m, randomInput([2, 4, 4, 3]));
  });
});
