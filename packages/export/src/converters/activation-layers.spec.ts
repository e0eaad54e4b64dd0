import * as tf from '@tensorflow/tfjs';
import { exportToOnnx } from '../export-onnx';
import { expectParity, modelOf, randomInput } from '../spec-helpers';

type T = tf.SymbolicTensor;

/** Inputs in [-2, 2) so that every branch of every activation is used. */
const signed = (shape: number[]): tf.Tensor => tf.tidy(() => randomInput(shape).mul(4).sub(2));

describe('activation layers', () => {
  it('PReLU with per-element alpha after a conv (alpha permuted to NCHW)', async () => {
    const m = modelOf([4, 5, 3], (x) => {
      const y = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(x) as T;
      return tf.layers.prelu({}).apply(y) as T;
    });
    await expectParity(m, randomInput([2, 4, 5, 3]));
  });

  it('PReLU with shared spatial axes, and on a rank-2 input', async () => {
    const img = modelOf([4, 5, 3], (x) => {
      const y = tf.layers.conv2d({ filters: 3, kernelSize: 1 }).apply(x) as T;
      return tf.layers.prelu({ sharedAxes: [1, 2] }).apply(y) as T;
    });
    await expectParity(img, signed([2, 4, 5, 3]));
    const vec = modelOf([6], (x) => tf.layers.prelu({}).apply(x) as T);
    await expectParity(vec, signed([3, 6]));
  });

  it('ReLU (with and without maxValue), LeakyReLU, ELU, ThresholdedReLU, Softmax', async () => {
    const make = (layer: tf.layers.Layer): tf.LayersModel => modelOf([4, 5], (x) => layer.apply(x) as T);
    const x = signed([2, 4, 5]);
    for (const layer of [
      tf.layers.reLU({}),
      tf.layers.reLU({ maxValue: 0.7 }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.elu({}),
      tf.layers.thresholdedReLU({ theta: 0.5 }),
      tf.layers.softmax({ axis: -1 }),
    ]) {
      await expectParity(make(layer), x);
    }
  });

  it('Activation layer with every supported function, on an NCHW-stored tensor', async () => {
    const x = signed([2, 3, 4, 2]);
    for (const activation of ['relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hardSigmoid', 'softplus', 'softsign', 'tanh', 'softmax', 'swish', 'mish', 'gelu']) {
      const m = modelOf([3, 4, 2], (i) => {
        const y = tf.layers.conv2d({ filters: 3, kernelSize: 1 }).apply(i) as T;
        return tf.layers.activation({ activation: activation as 'relu' }).apply(y) as T;
      });
      await expectParity(m, x);
    }
  });

  it('names an unsupported activation', () => {
    const m = modelOf([3], (x) => tf.layers.activation({ activation: 'gelu_new' }).apply(x) as T);
    expect(() => exportToOnnx(m)).toThrow(/activation "gelu_new" is not supported/);
  });
});
