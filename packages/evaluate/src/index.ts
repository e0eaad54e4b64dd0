/**
 * `@ffem/evaluate`: retrieval and verification metrics for face embeddings, and `evaluate`, which
 * runs an exported ONNX model over test sets through `@ffem/ort`.
 *
 * Metrics on arrays (usable on tfjs embeddings during training):
 * - `recallAtK(emb, labels, dim, ks, metric?)`: FFEM's Recall@K (L2-normalised, every image a
 *   query, itself excluded, ties to the lower index); synchronous, chunked, plain TypeScript
 *   (about 0.5 GMAC/s: fine for a few thousand images).
 * - `retrievalMetrics(emb, labels, dim, ks)`: the same Recall@K plus MAP@R through onnxruntime
 *   (about 100x faster; async) — the one to call after each training epoch on large sets.
 * - `mapAtR(emb, labels, dim)`: MAP@R (Musgrave et al. 2020).
 * - `nearestNeighbors` (TypeScript) / `nearestNeighborsOrt` (onnxruntime GEMM + TopK, for 10^5 rows):
 *   exact chunked top-k; `recallFromNeighbors` / `mapAtRFromNeighbors` score their lists.
 * - `verification(scores, issame, {folds?, higherIsSimilar?})`: k-fold accuracy (threshold chosen on
 *   the other folds), ROC, TAR@FAR, EER, AUC.
 * - `parsePairs(text, file?)`: LFW pairs files; `spreadOf(values)`: mean/std/min/max/spread.
 * Running a model:
 * - `evaluate(opts)`: the whole `ffem evaluate`; `formatConsole` / `formatMarkdown` / `rocSvg` /
 *   `dumpEmbeddings` turn its result into files.
 */
export { recallAtK, recallFromNeighbors, type Metric } from './recall-at-k';
export { mapAtR, mapAtRFromNeighbors, maxRelevant, relevantCounts } from './map-at-r';
export { l2Normalize, nearestNeighbors, type Neighbors, type SearchBlocks } from './neighbors';
export { nearestNeighborsOrt, type OrtSearchOptions } from './neighbors-ort';
export { retrievalMetrics, type RetrievalMetrics, type RetrievalOptions } from './retrieval';
export {
  verification,
  balancedFolds,
  bestThreshold,
  rocCurve,
  rocAuc,
  equalErrorRate,
  supportedFars,
  tarAtFar,
  type Roc,
  type VerificationOptions,
  type VerificationResult,
} from './verification';
export { parsePairs, pairFolds, lfwImagePath, type Pair } from './pairs';
export { spreadOf, type Spread } from './spread';
export { embedImages, flipHwc, type FaceImage, type EmbedOptions, type Embedded } from './embed';
export { modelInput, type ModelInput } from './model-input';
export { tfrecordSubset, folderSubset, type Subset } from './sources';
export {
  evaluate,
  type EvaluateOptions,
  type EvaluateResult,
  type Report,
  type SubsetReport,
  type VerificationReport,
} from './evaluate';
export { formatConsole, formatMarkdown } from './report-format';
export { rocSvg, type RocSvgOptions } from './roc-svg';
export { dumpEmbeddings, readEmbeddingsDump } from './dump-embeddings';
export { writeFileAtomic } from './write-atomic';
export { buildOnnxModel, type GraphSpec } from './onnx-graph';
/** A seeded random-projection ONNX embedder, for tests and smoke runs of `ffem evaluate`. */
export { tinyEmbedder, type TinyEmbedder } from './tiny-embedder';
