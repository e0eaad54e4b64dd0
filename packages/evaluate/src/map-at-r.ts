import { l2Normalize, nearestNeighbors, type Neighbors } from './neighbors';

/** For every query, R = the number of other images with its label. */
export function relevantCounts(labels: Int32Array): Int32Array {
  const count = new Map<number, number>();
  for (const l of labels) count.set(l, (count.get(l) ?? 0) + 1);
  return Int32Array.from(labels, (l) => count.get(l)! - 1);
}

/**
 * MAP@R (Musgrave, Belongie & Lim, "A Metric Learning Reality Check", 2020) from neighbour lists
 * at least max R long: for a query with R other same-label images,
 * AP@R = (1/R) * sum over ranks i <= R of P@i * [neighbour i is relevant]; averaged over the
 * queries with R >= 1 (a single-image label has nothing to retrieve and is left out, as
 * pytorch-metric-learning does). NaN when no query has R >= 1.
 */
export function mapAtRFromNeighbors(nb: Neighbors, labels: Int32Array): number {
  if (labels.length !== nb.n) throw new Error(`labels: ${labels.length} labels for ${nb.n} embeddings`);
  const R = relevantCounts(labels);
  let sum = 0;
  let queries = 0;
  for (let q = 0; q < nb.n; q++) {
    const r = R[q];
    if (r === 0) continue;
    if (nb.k < r) throw new Error(`MAP@R: neighbour lists hold ${nb.k}, query ${q} needs R = ${r}`);
    let rel = 0;
    let ap = 0;
    for (let i = 0; i < r; i++) {
      const j = nb.indices[q * nb.k + i];
      if (j >= 0 && labels[j] === labels[q]) {
        rel++;
        ap += rel / (i + 1);
      }
    }
    sum += ap / r;
    queries++;
  }
  return queries === 0 ? NaN : sum / queries;
}

/** The longest neighbour list MAP@R needs: the largest label count minus one. */
export function maxRelevant(labels: Int32Array): number {
  let m = 0;
  for (const r of relevantCounts(labels)) m = Math.max(m, r);
  return m;
}

/**
 * MAP@R over L2-normalised embeddings, every image a query, itself excluded, ties to the lower
 * index. Synchronous and chunked; for 10^5 images use `evaluate` / `nearestNeighborsOrt`.
 */
export function mapAtR(embeddings: Float32Array, labels: Int32Array, dim: number): number {
  const x = l2Normalize(embeddings, dim);
  if (labels.length !== x.length / dim) throw new Error(`labels: ${labels.length} labels for ${x.length / dim} embeddings`);
  return mapAtRFromNeighbors(nearestNeighbors(x, dim, maxRelevant(labels)), labels);
}
