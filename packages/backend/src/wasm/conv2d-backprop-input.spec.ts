import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { initBackend } from '../select-backend';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convCases, convGradTolerance, describeConvGradParity, runConvGrad } from './conv-cases';
import { convGeometry } from './conv-geometry';
import { backpropInputByConvolution, backpropInputByGemm } from './conv2d-backprop-input';

describe('Conv2DBackpropInput (wasm, GEMM) against the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm', null);
  });

  describeConvGradParity('Conv2DBackpropInput', (c) => c.x);
});

describe('Conv2DBackpropInput strategies for stride 1 (GEMM + col2im, flipped-filter convolution)', () => {
  it.each(convCases.filter((c) => c.strides[0] === 1 && c.strides[1] === 1 && c.filter[0] * c.filter[1] > 1).map((c) => [c.name, c] as const))(
    '%s: both agree with the cpu backend',
    async (_name, c) => {
      const expected = await runConvGrad('Conv2DBackpropInput', 'cpu', c, 5);
      await tf.setBackend('wasm');
      const backend = tf.backend() as BackendWasm;
      const dy = tf.randomNormal(tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad).shape, 0, 1, 'float32', 6);
      const filter = tf.randomNormal(c.filter, 0, 1, 'float32', 7);
      const g = convGeometry(c.x, c.filter, c.strides, c.pad, undefined, 'NHWC', 'test');
      const { padInfo } = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad);
      for (const out of [backpropInputByGemm(backend, dy, filter, g), backpropInputByConvolution(backend, dy, filter, g, padInfo.bottom, padInfo.right)]) {
        const t = tf.engine().makeTensorFromTensorInfo(out);
        expectClose(await t.data(), expected.values, convGradTolerance, c.name);
        t.dispose();
      }
      tf.dispose([dy, filter]);
    },
  );
});
