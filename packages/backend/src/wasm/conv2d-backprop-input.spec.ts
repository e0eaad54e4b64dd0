import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { initBackend } from '../select-backend';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convCases, convGradTolerance } from './conv-cases';
import { convGeometry } from './conv-geometry';
import { backpropInputByConvolution, backpropInputByGemm } from './conv2d-backprop-input';

/** Runs the kernel on `backend` with inputs seeded by `seed` (> 0: tfjs treats 0 as unseeded). */
async function run(backend: string, c: (typeof convCases)[number], seed: number) {
  await tf.setBackend(backend);
  const out = tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', seed);
    const filter = tf.randomNormal(c.filter, 0, 1, 'float32', seed + 2);
    const y = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, c.strides, c.pad);
    const dy = tf.randomNormal(y.shape, 0, 1, 'float32', seed + 1);
    return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, {
      strides: c.strides,
      pad: c.pad,
      dataFormat: 'NHWC',
      inputShape: c.x,
    }) as tf.Tensor;
  });
  const result = { shape: out.shape, values: await out.data() };
  out.dispose();
  return result;
}

describe('Conv2DBackpropInput (wasm, GEMM) against the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm', null);
  });

  it.each(convCases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const expected = await run('cpu', c, 10 * i + 1);
    const actual = await run('wasm', c, 10 * i + 1);
    expect(actual.shape).toEqual(c.x);
    expect(expected.shape).toEqual(c.x);
    expectClose(actual.values, expected.values, convGradTolerance, c.name);
  });

  it('leaves no scratch tensor on the heap', async () => {
    await run('wasm', convCases[3], 1);
    await tf.setBackend('wasm');
    const before = (tf.backend() as unknown as { dataIdMap: { numDataIds(): number } }).dataIdMap.numDataIds();
    await run('wasm', convCases[3], 1);
    expect((tf.backend() as unknown as { dataIdMap: { numDataIds(): number } }).dataIdMap.numDataIds()).toBe(before);
  });
});

describe('Conv2DBackpropInput strategies for stride 1 (GEMM + col2im, flipped-filter convolution)', () => {
  it.each(convCases.filter((c) => c.strides[0] === 1 && c.strides[1] === 1 && c.filter[0] * c.filter[1] > 1).map((c) => [c.name, c] as const))(
    '%s: both agree with the cpu backend',
    async (_name, c) => {
      const expected = await run('cpu', c, 5);
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
