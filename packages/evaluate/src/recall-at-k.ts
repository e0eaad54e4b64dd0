import { l2Normalize, nearestNeighbors, type Neighbors } from './neighbors';

/** Similarity used for scores: cosine similarity or Euclidean distance (on normalised embeddings). */
export type Metric = 'cos' | 'l2';

function checkLabels(labels: Int32Array, n: number): void {
  if (labels.length !== n) throw new Error(`labels: ${labels.length} labels for ${n} embeddings`);
}

function checkKs(ks: number[]): void {
  if (ks.length === 0) throw new Error('recall: no K given');
  for (const k of ks) if (!Number.isInteger(k) || k < 1) throw new Error(`recall: K must be a positive integer, got ${k}`);
}

/**
 * Recall@K from precomputed neighbour lists (at least max(ks) long): the fraction of queries with
 * a same-label image among their first K neighbours. Every image is a query, as FFEM's
 * `evaluate/recall.py` counts them: an image whose label has no other image is a miss.
 */
export function recallFromNeighbors(nb: Neighbors, labels: Int32Array, ks: number[]): Record<number, number> {
  checkKs(ks);
  checkLabels(labels, nb.n);
  const kmax = Math.max(...ks);
  if (nb.k < kmax) throw new Error(`recall: neighbour lists hold ${nb.k}, need ${kmax}`);
  // firstHit[q] = rank (1-based) of the first same-label neighbour, Infinity if none.
  const hits = new Map<number, number>(ks.map((k) => [k, 0]));
  for (let q = 0; q < nb.n; q++) {
    let first = Infinity;
    for (let c = 0; c < kmax; c++) {
      const j = nb.indices[q * nb.k + c];
      if (j < 0) break;
      if (labels[j] === labels[q]) {
        first = c + 1;
        break;
      }
    }
    for (const k of ks) if (first <= k) hits.set(k, hits.get(k)! + 1);
  }
  const out: Record<number, number> = {};
  for (const k of ks) out[k] = nb.n === 0 ? NaN : hits.get(k)! / nb.n;
  return out;
}

/**
 * Recall@K (FFEM's definition): embeddings L2-normalised, every image a query, itself excluded, a
 * hit when a same-label image is among its K nearest; ties go to the lower index. `metric` does not
 * change the ranking on unit vectors (|a-b|^2 = 2 - 2 cos), it is accepted for symmetry.
 * Synchronous and chunked (memory O(n x max K)); for 10^5 images use `evaluate` / `nearestNeighborsOrt`.
 */
export function recallAtK(
  embeddings: Float32Array,
  labels: Int32Array,
  dim: number,
  ks: number[],
  metric: Metric = 'cos',
): Record<number, number> {
  void metric;
  checkKs(ks);
  const x = l2Normalize(embeddings, dim);
  checkLabels(labels, x.length / dim);
  return recallFromNeighbors(nearestNeighbors(x, dim, Math.max(...ks)), labels, ks);
}
