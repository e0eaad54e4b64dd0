import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { initBackend } from '../select-backend';
import { convCases, convGradTolerance } from './conv-cases';

/** Runs the kernel on `backend` with inputs seeded by `seed` (> 0: tfjs treats 0 as unseeded). */
async function run(backend: string, c: (typeof convCases)[number], seed: number) {
  await tf.setBackend(backend);
  const out = tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', seed);
    const y = tf.conv2d(x as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad);
    const dy = tf.randomNormal(y.shape, 0, 1, 'float32', seed + 1);
    return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
      strides: c.strides,
      pad: c.pad,
      dataFormat: 'NHWC',
      filterShape: c.filter,
    }) as tf.Tensor;
  });
  const result = { shape: out.shape, values: await out.data() };
  out.dispose();
  return result;
}

describe('Conv2DBackpropFilter (wasm, GEMM) against the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm', null);
  });

  it.each(convCases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const expected = await run('cpu', c, 10 * i + 1);
    const actual = await run('wasm', c, 10 * i + 1);
    expect(actual.shape).toEqual(c.filter);
    expect(expected.shape).toEqual(c.filter);
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
