import * as tf from '@tensorflow/tfjs';
import { expectParity, modelOf, opTypes, randomInput } from '../spec-helpers';

type T = tf.SymbolicTensor;

describe('Dense converter', () => {
  it('rank-2 input becomes Gemm (with activation)', async () => {
    const m = modelOf([7], (x) => tf.layers.dense({ units: 5, activation: 'softmax' }).apply(x) as T);
    const bytes = await expectParity(m, randomInput([3, 7]));
    expect(opTypes(bytes)).toContain('Gemm');
  });

  it('applies to the last axis of a 4-D tensor after a conv (layout restored to NHWC)', async () => {
    const m = modelOf([4, 5, 3], (x) => {
      const y = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same' }).apply(x) as T;
      return tf.layers.dense({ units: 2, useBias: false }).apply(y) as T;
    });
    await expectParity(m, randomInput([2, 4, 5, 3]));
  });
});
