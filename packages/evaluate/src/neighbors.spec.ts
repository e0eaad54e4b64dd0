import { expectClose } from '@ffem/testing';
import { l2Normalize, nearestNeighbors } from './neighbors';
import { randomEmbeddings } from './random';

/** Brute force: every score, a full sort by (score desc, index asc). */
function bruteForce(x: Float32Array, dim: number, k: number): { indices: number[][]; scores: number[][] } {
  const n = x.length / dim;
  const indices: number[][] = [];
  const scores: number[][] = [];
  for (let q = 0; q < n; q++) {
    const cand: [number, number][] = [];
    for (let r = 0; r < n; r++) {
      if (r === q) continue;
      let s = 0;
      for (let d = 0; d < dim; d++) s += x[q * dim + d] * x[r * dim + d];
      cand.push([Math.fround(s), r]);
    }
    cand.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    indices.push(cand.slice(0, k).map((c) => c[1]));
    scores.push(cand.slice(0, k).map((c) => c[0]));
  }
  return { indices, scores };
}

describe('l2Normalize', () => {
  it('scales rows to unit length and leaves zero rows zero', () => {
    const x = l2Normalize(Float32Array.of(3, 4, 0, 0), 2);
    expectClose(x, [0.6, 0.8, 0, 0], { atol: 1e-7, rtol: 0 });
  });
  it('rejects a length that is not a multiple of dim', () => {
    expect(() => l2Normalize(new Float32Array(5), 2)).toThrow(/multiple of dim 2/);
  });
});

describe('nearestNeighbors', () => {
  it('chunked search equals brute force (odd block sizes, 4-row and tail paths)', () => {
    const dim = 16;
    const x = l2Normalize(randomEmbeddings(203, dim, 7), dim);
    const k = 9;
    const nb = nearestNeighbors(x, dim, k, { queries: 7, refs: 13 });
    const bf = bruteForce(x, dim, k);
    expect(Array.from(nb.indices)).toEqual(bf.indices.flat());
    expectClose(nb.scores, bf.scores.flat(), { atol: 1e-6, rtol: 0 });
  });
  it('excludes the query itself and breaks ties by the lower index', () => {
    // Four identical vectors and one orthogonal: every score among the four is 1.
    const x = Float32Array.of(1, 0, 1, 0, 1, 0, 0, 1, 1, 0);
    const nb = nearestNeighbors(x, 2, 4, { queries: 2, refs: 2 });
    expect(Array.from(nb.indices)).toEqual([1, 2, 4, 3, 0, 2, 4, 3, 0, 1, 4, 3, 0, 1, 2, 4, 0, 1, 2, 3]);
  });
  it('pads lists with -1 when fewer than k other rows exist', () => {
    const nb = nearestNeighbors(Float32Array.of(1, 0, 0, 1), 2, 3);
    expect(Array.from(nb.indices)).toEqual([1, -1, -1, 0, -1, -1]);
    expect(Number.isNaN(nb.scores[1])).toBe(true);
  });
});
