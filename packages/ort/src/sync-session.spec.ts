import { createSyncGemm } from './sync-session';

/** Plain triple loop in float64: the reference. */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean): Float64Array {
  const y = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += a[transA ? q * m + i : i * k + q] * b[transB ? j * k + q : q * n + j];
      y[i * n + j] = s;
    }
  }
  return y;
}

describe('createSyncGemm', () => {
  const gemm = createSyncGemm(2);
  let seed = 1;
  const rnd = () => ((seed = (Math.imul(seed, 48271) % 2147483647) >>> 0) / 2147483647) * 2 - 1;
  const filled = (len: number) => Float32Array.from({ length: len }, rnd);

  it('computes op(a) @ op(b) for every transpose combination, synchronously, into the given view', () => {
    for (const [m, k, n] of [[1, 1, 1], [7, 33, 5], [64, 300, 48], [130, 17, 257]]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = filled(m * k);
          const b = filled(k * n);
          const backing = new Float32Array(m * n + 8).fill(-99);
          const y = backing.subarray(4, 4 + m * n); // a view at an offset, as into a wasm heap
          gemm(a, b, y, m, k, n, transA, transB);
          const want = reference(a, b, m, k, n, transA, transB);
          let worst = 0;
          for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(y[i] - want[i]) / (1 + Math.abs(want[i])));
          expect([m, k, n, transA, transB, worst < 1e-5]).toEqual([m, k, n, transA, transB, true]);
          expect([...backing.subarray(0, 4), ...backing.subarray(4 + m * n)]).toEqual(Array(8).fill(-99)); // nothing outside y written
        }
      }
    }
  });

  it('names the sizes when the views do not match them', () => {
    expect(() => gemm(new Float32Array(6), new Float32Array(6), new Float32Array(4), 2, 3, 2)).not.toThrow();
    expect(() => gemm(new Float32Array(6), new Float32Array(5), new Float32Array(4), 2, 3, 2)).toThrow('sync GEMM: sizes do not match [2, 3] x [3, 2] (got 6, 5, 4 elements)');
  });
});
