import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { initBackend } from '../select-backend';

interface Case {
  name: string;
  x: number[];
  ids: number[];
  numSegments: number;
  dtype?: 'float32' | 'int32' | 'bool';
}

/** Ids in [lo, hi) from a fixed linear congruential sequence (repeats guaranteed for length > hi - lo). */
function seededIds(length: number, lo: number, hi: number, seed: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return lo + (state % (hi - lo));
  });
}

const cases: Case[] = [
  { name: '1-D data, repeated ids', x: [12], ids: [0, 3, 3, 1, 0, 3, 2, 2, 0, 1, 3, 3], numSegments: 4 },
  { name: '1-D data, numSegments past the largest id (empty segments are 0)', x: [6], ids: [1, 1, 4, 1, 4, 0], numSegments: 9 },
  { name: '2-D data [N, D] (gather gradient of a center table)', x: [10, 8], ids: [2, 0, 2, 5, 5, 5, 1, 2, 0, 7], numSegments: 8 },
  { name: '2-D data, numSegments 3x the largest id', x: [7, 5], ids: [0, 1, 1, 3, 0, 3, 3], numSegments: 12 },
  { name: '2-D data, one row', x: [1, 16], ids: [6], numSegments: 7 },
  { name: '3-D data [N, H, W], 1-D ids', x: [9, 3, 4], ids: [4, 4, 4, 0, 1, 1, 2, 0, 4], numSegments: 6 },
  { name: '3-D data, 2-D ids (leading two dims)', x: [3, 4, 5], ids: [0, 2, 2, 1, 1, 0, 2, 2, 3, 3, 0, 1], numSegments: 5 },
  { name: 'ids outside [0, numSegments) are dropped', x: [6, 3], ids: [0, -1, 2, 5, 2, 1], numSegments: 3 },
  { name: 'int32 data', x: [8, 3], ids: [1, 0, 1, 1, 3, 0, 3, 2], numSegments: 5, dtype: 'int32' },
  { name: 'bool data', x: [6, 4], ids: [0, 2, 0, 0, 1, 2], numSegments: 3, dtype: 'bool' },
  { name: 'larger: 200 rows of 48 into 120 segments', x: [200, 48], ids: seededIds(200, 0, 90, 3), numSegments: 120 },
];

function idsShape(c: Case): number[] {
  return c.x.length >= 2 && c.ids.length === c.x[0] * c.x[1] && c.ids.length !== c.x[0] ? c.x.slice(0, 2) : [c.x[0]];
}

/**
 * Runs the kernel on `backend` with x seeded by `seed` (> 0: tfjs treats 0 as unseeded).
 * `flatIds`: x reshaped to [ids.size, ...rest] and 1-D ids (the cpu reference mis-broadcasts ids
 * of rank > 1; flattening the leading dims is TensorFlow's definition for them).
 */
async function run(backend: string, c: Case, seed: number, flatIds = false) {
  await tf.setBackend(backend);
  const out = tf.tidy(() => {
    const normal = tf.randomNormal(c.x, 0, 3, 'float32', seed);
    let x = c.dtype === 'int32' ? tf.round(normal).toInt() : c.dtype === 'bool' ? tf.greater(normal, 0) : normal;
    const shape = idsShape(c);
    const segmentIds = tf.tensor(c.ids, flatIds ? [c.ids.length] : shape, 'int32');
    if (flatIds) x = tf.reshape(x, [c.ids.length, ...c.x.slice(shape.length)]);
    return tf.engine().runKernel('UnsortedSegmentSum', { x, segmentIds }, { numSegments: c.numSegments }) as tf.Tensor;
  });
  const result = { shape: out.shape, dtype: out.dtype, values: await out.data() };
  out.dispose();
  return result;
}

describe('UnsortedSegmentSum (wasm, one pass over the heap) against the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm', null);
  });

  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const expected = await run('cpu', c, 7 * i + 1, idsShape(c).length > 1);
    const actual = await run('wasm', c, 7 * i + 1);
    expect(actual.shape).toEqual([c.numSegments, ...c.x.slice(idsShape(c).length)]);
    expect(actual.shape).toEqual(expected.shape);
    expect(actual.dtype).toBe(expected.dtype);
    // Both sum in float64 in row order: bit for bit.
    expectClose(actual.values, expected.values, { atol: 0, rtol: 0 }, c.name);
    // Not vacuous: some segment has a non-zero sum.
    expect(Array.from(actual.values).some((v) => v !== 0)).toBe(true);
  });

  it('is the gradient of tf.gather on wasm (repeated indices accumulate)', async () => {
    await tf.setBackend('wasm');
    const table = tf.randomNormal([6, 4], 0, 1, 'float32', 5);
    const idx = tf.tensor1d([5, 1, 1, 5, 5, 0], 'int32');
    const w = tf.randomNormal([6, 4], 0, 1, 'float32', 6);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, idx), w)))(table);
    const wv = await w.array() as number[][];
    const expected = Array.from({ length: 6 }, (_, s) => [0, 1, 2, 3].map((j) => [5, 1, 1, 5, 5, 0].reduce((acc, id, r) => (id === s ? acc + wv[r][j] : acc), 0)));
    expectClose(await g.data(), expected.flat(), { atol: 1e-6, rtol: 1e-6 }, 'gather gradient');
    tf.dispose([table, idx, w, g]);
  });

  it('leaves no scratch tensor on the heap', async () => {
    await run('wasm', cases[2], 1);
    await tf.setBackend('wasm');
    const count = () => (tf.backend() as unknown as { dataIdMap: { numDataIds(): number } }).dataIdMap.numDataIds();
    const before = count();
    await run('wasm', cases[2], 1);
    expect(count()).toBe(before);
  });
});
