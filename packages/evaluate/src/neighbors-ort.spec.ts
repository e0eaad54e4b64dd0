import { expectClose } from '@ffem/testing';
import { l2Normalize, nearestNeighbors } from './neighbors';
import { nearestNeighborsOrt } from './neighbors-ort';
import { randomEmbeddings } from './random';

describe('nearestNeighborsOrt', () => {
  it('equals the TypeScript search across query and reference blocks', async () => {
    const dim = 32;
    const x = l2Normalize(randomEmbeddings(611, dim, 3), dim);
    const k = 12;
    const ref = nearestNeighbors(x, dim, k);
    const progress: number[] = [];
    const nb = await nearestNeighborsOrt(x, dim, k, { queries: 100, refs: 128, threads: 1, onProgress: (d) => progress.push(d) });
    expect(progress).toEqual([100, 200, 300, 400, 500, 600, 611]);
    expect(Array.from(nb.indices)).toEqual(Array.from(ref.indices));
    expectClose(nb.scores, ref.scores, { atol: 1e-5, rtol: 0 });
  });
  it('keeps the tie order (lower index first) and self exclusion with a last block smaller than k', async () => {
    const x = Float32Array.of(1, 0, 1, 0, 1, 0, 0, 1, 1, 0);
    const nb = await nearestNeighborsOrt(x, 2, 4, { queries: 2, refs: 3, threads: 1 });
    expect(Array.from(nb.indices)).toEqual(Array.from(nearestNeighbors(x, 2, 4).indices));
  });
});
