/**
 * Convolution shapes the kernel parity specs check (every branch of im2col/col2im: pointwise,
 * strided, padded on each side, rectangular filters, explicit padding, batch > 1, C = 3), and the
 * parity suite both convolution-gradient specs run on them. Test support: imported by specs only.
 */
import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { setHeavyEngine } from './heap';

export interface ConvCase {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: 'same' | 'valid' | tf.backend_util.ExplicitPadding;
}

export const convCases: ConvCase[] = [
  { name: '1x1 stride 1 widening (pointwise GEMM path)', x: [2, 5, 6, 8], filter: [1, 1, 8, 16], strides: [1, 1], pad: 'valid' },
  { name: '1x1 stride 1 narrowing (pointwise GEMM path)', x: [3, 4, 5, 16], filter: [1, 1, 16, 6], strides: [1, 1], pad: 'valid' },
  { name: '1x1 stride 2 valid', x: [2, 7, 7, 8], filter: [1, 1, 8, 12], strides: [2, 2], pad: 'valid' },
  { name: '3x3 stride 1 same', x: [3, 6, 5, 16], filter: [3, 3, 16, 8], strides: [1, 1], pad: 'same' },
  { name: '3x3 stride 2 same, even size', x: [2, 8, 8, 8], filter: [3, 3, 8, 16], strides: [2, 2], pad: 'same' },
  { name: '3x3 stride 2 same, odd size', x: [2, 9, 7, 4], filter: [3, 3, 4, 6], strides: [2, 2], pad: 'same' },
  { name: '3x3 stride 2 valid', x: [2, 9, 9, 8], filter: [3, 3, 8, 8], strides: [2, 2], pad: 'valid' },
  { name: '7x7 stride 2 same, 3 channels (stem)', x: [2, 16, 16, 3], filter: [7, 7, 3, 8], strides: [2, 2], pad: 'same' },
  { name: '2x3 strides 1x2 valid', x: [2, 6, 9, 5], filter: [2, 3, 5, 7], strides: [1, 2], pad: 'valid' },
  {
    name: '3x3 explicit padding 1/2 and 0/1',
    x: [2, 6, 6, 4],
    filter: [3, 3, 4, 5],
    strides: [1, 1],
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  { name: '4x4 stride 3 valid, window past the edge', x: [1, 11, 10, 6], filter: [4, 4, 6, 3], strides: [3, 3], pad: 'valid' },
];

/** Float32 GEMM sums in another order than the reference loops: relative 1e-5 of the magnitude. */
export const convGradTolerance = { atol: 1e-4, rtol: 1e-4 };

export type ConvGradKernel = 'Conv2DBackpropFilter' | 'Conv2DBackpropInput';

/**
 * Runs one convolution-gradient kernel on `backend` for case `c`, with x, filter and dy drawn
 * from `seed` (> 0: tfjs treats 0 as unseeded); returns the output's shape and values.
 */
export async function runConvGrad(kernel: ConvGradKernel, backend: string, c: ConvCase, seed: number) {
  await tf.setBackend(backend);
  const out = tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', seed);
    const filter = tf.randomNormal(c.filter, 0, 1, 'float32', seed + 2);
    const dy = tf.randomNormal(tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, c.strides, c.pad).shape, 0, 1, 'float32', seed + 1);
    const common = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC' };
    return (
      kernel === 'Conv2DBackpropFilter'
        ? tf.engine().runKernel(kernel, { x, dy }, { ...common, filterShape: c.filter })
        : tf.engine().runKernel(kernel, { dy, filter }, { ...common, inputShape: c.x })
    ) as tf.Tensor;
  });
  const result = { shape: out.shape, values: await out.data() };
  out.dispose();
  return result;
}

/** Tensors the active backend holds (a kernel that leaks scratch tensors raises it). */
export function heapTensorCount(): number {
  return (tf.backend() as unknown as { dataIdMap: { numDataIds(): number } }).dataIdMap.numDataIds();
}

/** Runs `suite` once per engine of the heavy kernels (onnxruntime, the backend's XNNPACK). */
export function describeForEachEngine(suite: () => void): void {
  describe.each(['onnxruntime', 'xnnpack'] as const)('on %s', (engine) => {
    beforeAll(() => setHeavyEngine(engine));
    afterAll(() => setHeavyEngine('onnxruntime'));
    suite();
  });
}

/** The parity suite both convolution-gradient kernels share: every case against cpu, and no leak, on each engine. */
export function describeConvGradParity(kernel: ConvGradKernel, outShape: (c: ConvCase) => number[]): void {
  describeForEachEngine(() => convGradParity(kernel, outShape));
}

function convGradParity(kernel: ConvGradKernel, outShape: (c: ConvCase) => number[]): void {
  it.each(convCases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const expected = await runConvGrad(kernel, 'cpu', c, 10 * i + 1);
    const actual = await runConvGrad(kernel, 'wasm', c, 10 * i + 1);
    expect(actual.shape).toEqual(outShape(c));
    expect(expected.shape).toEqual(outShape(c));
    expectClose(actual.values, expected.values, convGradTolerance, c.name);
  });

  it('leaves no scratch tensor on the heap', async () => {
    await runConvGrad(kernel, 'wasm', convCases[3], 1);
    await tf.setBackend('wasm');
    const before = heapTensorCount();
    await runConvGrad(kernel, 'wasm', convCases[3], 1);
    expect(heapTensorCount()).toBe(before);
  });
}
