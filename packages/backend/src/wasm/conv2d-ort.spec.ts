import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { initBackend } from '../select-backend';
import { ortRunCount, setHeavyEngine } from './heap';
import { convCases, convGradTolerance, describeForEachEngine, heapTensorCount, type ConvCase } from './conv-cases';

type Variant = { name: string; bias: boolean; activation: 'linear' | 'relu' | 'elu' };
const variants: Variant[] = [
  { name: 'plain', bias: false, activation: 'linear' },
  { name: 'bias + relu', bias: true, activation: 'relu' },
  { name: 'relu', bias: false, activation: 'relu' },
  { name: 'bias + elu (the backend kernel)', bias: true, activation: 'elu' },
];

/** tf.fused.conv2d of case `c` on `backend`, operands drawn from `seed`. */
async function forward(backend: string, c: ConvCase, v: Variant, seed: number): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend(backend);
  const y = tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', seed) as tf.Tensor4D;
    const filter = tf.randomNormal(c.filter, 0, 1, 'float32', seed + 1) as tf.Tensor4D;
    const bias = v.bias ? tf.randomNormal([c.filter[3]], 0, 1, 'float32', seed + 2) : undefined;
    return tf.fused.conv2d({ x, filter, strides: c.strides, pad: c.pad, bias, activation: v.activation });
  });
  const out = { shape: y.shape, values: (await y.data()) as Float32Array };
  y.dispose();
  return out;
}

describe('Conv2D / FusedConv2D (wasm) against the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm', null);
  });

  it('runs on onnxruntime by default, and not on the XNNPACK engine', async () => {
    const before = ortRunCount();
    await forward('wasm', convCases[3], variants[1], 1);
    expect(ortRunCount()).toBe(before + 1);
    setHeavyEngine('xnnpack');
    try {
      await forward('wasm', convCases[3], variants[1], 1);
      expect(ortRunCount()).toBe(before + 1);
    } finally {
      setHeavyEngine('onnxruntime');
    }
  });

  describeForEachEngine(() => {
    const cases = convCases.flatMap((c, i) => variants.map((v, j) => [`${c.name}, ${v.name}`, c, v, 10 * i + j + 1] as const));
    it.each(cases)('%s', async (_name, c, v, seed) => {
      const expected = await forward('cpu', c, v, seed);
      const actual = await forward('wasm', c, v, seed);
      expect(actual.shape).toEqual(expected.shape);
      expectClose(actual.values, expected.values, convGradTolerance, _name);
    });

    it('is what the gradient of a convolution uses, and leaves no scratch tensor on the heap', async () => {
      await forward('wasm', convCases[3], variants[1], 1);
      const before = heapTensorCount();
      await forward('wasm', convCases[3], variants[1], 1);
      expect(heapTensorCount()).toBe(before);
    });
  });
});
