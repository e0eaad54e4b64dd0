import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { initBackend } from '../select-backend';
import { ortRunCount, setHeavyEngine } from './heap';
import { describeForEachEngine, heapTensorCount } from './conv-cases';
import { leadingAxes } from './reduce-leading';

const cases: Array<{ shape: number[]; axis: number | number[]; dtype?: 'float32' | 'int32' }> = [
  { shape: [8, 7, 7, 32], axis: [0, 1, 2] }, // a batch-norm statistic
  { shape: [8, 7, 7, 32], axis: [2, 0, 1] }, // the same axes, unsorted
  { shape: [5, 12], axis: 0 },
  { shape: [3, 4, 5], axis: [-3, -2] },
  { shape: [3, 4, 5], axis: [1, 2] }, // trailing: the backend's kernel
  { shape: [3, 4, 5], axis: [0, 2] }, // not a prefix: the backend's kernel
  { shape: [3, 4, 5], axis: [0, 1, 2] }, // every axis: the backend's kernel
  { shape: [6, 10], axis: 0, dtype: 'int32' }, // int32: the backend's kernel
  { shape: [0, 4], axis: 0 }, // empty
];

async function reduce(backend: string, op: 'sum' | 'mean', c: (typeof cases)[number], keepDims: boolean, seed: number) {
  await tf.setBackend(backend);
  const y = tf.tidy(() => {
    const x0 = tf.randomNormal(c.shape, 0, 3, 'float32', seed);
    const x = c.dtype === 'int32' ? tf.cast(tf.round(x0), 'int32') : x0;
    return op === 'sum' ? tf.sum(x, c.axis, keepDims) : tf.mean(x, c.axis, keepDims);
  });
  const out = { shape: y.shape, dtype: y.dtype, values: await y.data() };
  y.dispose();
  return out;
}

describe('leadingAxes', () => {
  it('counts the axes 0..r-1 when that is what is reduced, else 0', () => {
    expect(leadingAxes([0, 1, 2], 4)).toBe(3);
    expect(leadingAxes([2, 1, 0], 4)).toBe(3);
    expect(leadingAxes(0, 2)).toBe(1);
    expect(leadingAxes([-3, -2], 3)).toBe(2);
    expect(leadingAxes([1, 2], 3)).toBe(0);
    expect(leadingAxes([0, 2], 3)).toBe(0);
    expect(leadingAxes([0, 1, 2], 3)).toBe(0);
  });
});

describe('Sum / Mean (wasm) against the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm', null);
  });

  it('runs on onnxruntime by default, and not on the XNNPACK engine', async () => {
    const before = ortRunCount();
    await reduce('wasm', 'sum', cases[0], false, 1);
    expect(ortRunCount()).toBe(before + 1);
    setHeavyEngine('xnnpack');
    try {
      await reduce('wasm', 'sum', cases[0], false, 1);
      expect(ortRunCount()).toBe(before + 1);
    } finally {
      setHeavyEngine('onnxruntime');
    }
  });

  describeForEachEngine(() => {
    const all = cases.flatMap((c, i) => (['sum', 'mean'] as const).flatMap((op) => [false, true].map((keep) => [`${op} ${JSON.stringify(c)} keepDims ${keep}`, op, c, keep, i + 1] as const)));
    it.each(all)('%s', async (_name, op, c, keep, seed) => {
      const expected = await reduce('cpu', op, c, keep, seed);
      const actual = await reduce('wasm', op, c, keep, seed);
      expect([actual.shape, actual.dtype]).toEqual([expected.shape, expected.dtype]);
      expectClose(actual.values as Float32Array, expected.values as Float32Array, { atol: 1e-4, rtol: 1e-5 }, _name);
    });

    it('leaves no scratch tensor on the heap', async () => {
      await reduce('wasm', 'mean', cases[0], true, 1);
      const before = heapTensorCount();
      await reduce('wasm', 'mean', cases[0], true, 1);
      expect(heapTensorCount()).toBe(before);
    });
  });
});
