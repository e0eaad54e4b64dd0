import * as tf from '@tensorflow/tfjs';
import { expectParity, modelOf, randomInput } from '../spec-helpers';

type T = tf.SymbolicTensor;

describe('Conv2D / DepthwiseConv2D / SeparableConv2D converters', () => {
  it('Conv2D same padding with stride 2 (asymmetric: extra row/column at bottom/right), relu', async () => {
    // 8x8, k3, s2: TF pads 0 top/left and 1 bottom/right; a symmetric pad would shift every output.
    const m = modelOf([8, 8, 3], (x) => tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(x) as T);
    await expectParity(m, randomInput([2, 8, 8, 3]));
  });

  it('Conv2D same padding with even kernel and odd size, valid padding, no bias, dilation', async () => {
    const m = modelOf([9, 7, 3], (x) => {
      let y = tf.layers.conv2d({ filters: 5, kernelSize: [2, 4], strides: [2, 1], padding: 'same' }).apply(x) as T;
      y = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'valid', useBias: false, activation: 'tanh' }).apply(y) as T;
      return tf.layers.conv2d({ filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same', activation: 'relu6' }).apply(y) as T;
    });
    await expectParity(m, randomInput([2, 9, 7, 3]));
  });

  it('DepthwiseConv2D with depth multiplier 2, same padding, stride 2', async () => {
    const m = modelOf([7, 8, 3], (x) => tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' }).apply(x) as T);
    await expectParity(m, randomInput([2, 7, 8, 3]));
  });

  it('SeparableConv2D', async () => {
    const m = modelOf([8, 8, 3], (x) => tf.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2, activation: 'sigmoid' }).apply(x) as T);
    await expectParity(m, randomInput([1, 8, 8, 3]));
  });

  it('takes NCHW input with nchw', async () => {
    const m = modelOf([6, 5, 3], (x) => tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).apply(x) as T);
    await expectParity(m, randomInput([2, 6, 5, 3]), { nchw: true });
  });
});
