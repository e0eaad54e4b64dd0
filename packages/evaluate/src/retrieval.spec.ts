import { mapAtR } from './map-at-r';
import { randomEmbeddings } from './random';
import { recallAtK } from './recall-at-k';
import { retrievalMetrics } from './retrieval';

describe('retrievalMetrics', () => {
  it('equals recallAtK and mapAtR (TypeScript search) on clustered data', async () => {
    // 40 identities x 1..6 images around a random centre each.
    const dim = 24;
    const centres = randomEmbeddings(40, dim, 11);
    const noise = randomEmbeddings(400, dim, 12);
    const rows: number[] = [];
    const labels: number[] = [];
    let n = 0;
    for (let c = 0; c < 40; c++) {
      for (let i = 0; i < 1 + (c % 6); i++, n++) {
        for (let d = 0; d < dim; d++) rows.push(centres[c * dim + d] + 0.8 * noise[n * dim + d]);
        labels.push(c);
      }
    }
    const x = Float32Array.from(rows);
    const y = Int32Array.from(labels);
    const r = await retrievalMetrics(x, y, dim, [1, 5], { queries: 16, refs: 50, threads: 1 });
    expect(r.recall).toEqual(recallAtK(x, y, dim, [1, 5]));
    expect(r.mapAtR).toBeCloseTo(mapAtR(x, y, dim), 12);
    expect(r.singletons).toBe(7);
    expect(r.recall[1]).toBeGreaterThan(0.3);
    expect(r.mapAtRSkipped).toBeNull();
    // Lists capped below n x max R: MAP@R skipped with the reason, Recall@K unchanged.
    const capped = await retrievalMetrics(x, y, dim, [1, 2], { maxListEntries: 100, threads: 1 });
    expect(capped.mapAtR).toBeNaN();
    expect(capped.mapAtRSkipped).toMatch(/MAP@R needs 5 neighbours per image/);
    expect(capped.recall).toEqual(recallAtK(x, y, dim, [1, 2]));
  });
});
