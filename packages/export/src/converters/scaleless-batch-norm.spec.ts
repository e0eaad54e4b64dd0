import * as tf from '@tensorflow/tfjs';
import { ScalelessBatchNorm } from '@ffem/models';
import { expectParity, modelOf, randomInput } from '../spec-helpers';

type T = tf.SymbolicTensor;

describe('ScalelessBatchNorm converter', () => {
  it('matches tfjs on a conv feature map and on a vector (GNAP in/out)', async () => {
    const img = modelOf([4, 5, 3], (x) => new ScalelessBatchNorm({ epsilon: 0.01 }).apply(tf.layers.conv2d({ filters: 4, kernelSize: 3 }).apply(x)) as T);
    await expectParity(img, randomInput([2, 4, 5, 3]));
    const vec = modelOf([6], (x) => new ScalelessBatchNorm({}).apply(x) as T);
    await expectParity(vec, randomInput([3, 6]));
  });
});
