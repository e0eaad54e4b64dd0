/**
 * Recall@K and MAP@R together from one onnxruntime search: the fast path (about 100x the
 * TypeScript search) for validation sets of any size, e.g. after each training epoch.
 */
import { mapAtRFromNeighbors, maxRelevant, relevantCounts } from './map-at-r';
import { l2Normalize } from './neighbors';
import { nearestNeighborsOrt, type OrtSearchOptions } from './neighbors-ort';
import { recallFromNeighbors } from './recall-at-k';

export interface RetrievalOptions extends OrtSearchOptions {
  /**
   * Most neighbour-list entries (n x k) to hold: MAP@R needs k = the largest label count - 1, so a
   * label with thousands of images would need gigabytes; past this MAP@R is skipped (NaN, with
   * `mapAtRSkipped` saying why). Default 5e7 (400 MB).
   */
  maxListEntries?: number;
}

export interface RetrievalMetrics {
  recall: Record<number, number>;
  /** NaN when no label has two images, or when skipped (see `mapAtRSkipped`). */
  mapAtR: number;
  mapAtRSkipped: string | null;
  /** Images whose label has no other image (Recall@K misses, left out of MAP@R). */
  singletons: number;
  searchSeconds: number;
}

/** L2-normalises, searches once for max(max K, max R) neighbours, scores both metrics. */
export async function retrievalMetrics(
  embeddings: Float32Array,
  labels: Int32Array,
  dim: number,
  ks: number[],
  opts: RetrievalOptions = {},
): Promise<RetrievalMetrics> {
  const x = l2Normalize(embeddings, dim);
  if (labels.length !== x.length / dim) throw new Error(`labels: ${labels.length} labels for ${x.length / dim} embeddings`);
  if (ks.length === 0) throw new Error('recall: no K given');
  const t0 = performance.now();
  const n = labels.length;
  const maxR = maxRelevant(labels);
  const limit = opts.maxListEntries ?? 5e7;
  const skip = n * Math.max(...ks, maxR) > limit && maxR > Math.max(...ks);
  const mapAtRSkipped = skip ? `MAP@R needs ${maxR} neighbours per image (largest label count - 1): ${n} x ${maxR} lists exceed ${limit} entries` : null;
  const nb = await nearestNeighborsOrt(x, dim, skip ? Math.max(...ks) : Math.max(...ks, maxR), opts);
  return {
    recall: recallFromNeighbors(nb, labels, ks),
    mapAtR: skip ? NaN : mapAtRFromNeighbors(nb, labels),
    mapAtRSkipped,
    singletons: relevantCounts(labels).filter((r) => r === 0).length,
    searchSeconds: (performance.now() - t0) / 1000,
  };
}
