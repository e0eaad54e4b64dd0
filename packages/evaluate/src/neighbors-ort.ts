/**
 * The same exact search as `nearestNeighbors`, with each block's matrix product and top-k done by
 * onnxruntime (MLAS GEMM + TopK, all cores; CUDA when asked): the path for 10^5 x 512.
 */
import { openSession, type Provider } from '@ffem/ort';
import { emptyNeighbors, offer, type Neighbors, type SearchBlocks } from './neighbors';
import { buildOnnxModel } from './onnx-graph';

export interface OrtSearchOptions extends SearchBlocks {
  provider?: Provider;
  /** onnxruntime intra-op threads (0 = all cores). */
  threads?: number;
  /** Called after each block of queries with the number of queries done. */
  onProgress?: (done: number, total: number) => void;
}

/** Gemm(Q, R^T) -> TopK(K) -> (values, int32 indices). ONNX TopK puts the lower index first on ties. */
function searchGraph(dim: number): Uint8Array {
  return buildOnnxModel({
    opset: 13,
    inputs: [
      { name: 'queries', type: 'float32', shape: ['q', dim] },
      { name: 'refs', type: 'float32', shape: ['r', dim] },
      { name: 'k', type: 'int64', shape: [1] },
    ],
    outputs: [
      { name: 'values', type: 'float32', shape: ['q', 'k'] },
      { name: 'indices', type: 'int32', shape: ['q', 'k'] },
    ],
    nodes: [
      { op: 'Gemm', inputs: ['queries', 'refs'], outputs: ['scores'], attrs: { transB: 1 } },
      { op: 'TopK', inputs: ['scores', 'k'], outputs: ['values', 'idx64'], attrs: { axis: -1, largest: 1, sorted: 1 } },
      { op: 'Cast', inputs: ['idx64'], outputs: ['indices'], attrs: { to: 6 } },
    ],
  });
}

/**
 * Exact top-k neighbours (self excluded, ties to the lower index) of every row of `normalized`,
 * block by block: memory is O(blocks.queries x blocks.refs + n x k) beside the embeddings.
 */
export async function nearestNeighborsOrt(
  normalized: Float32Array,
  dim: number,
  k: number,
  opts: OrtSearchOptions = {},
): Promise<Neighbors> {
  if (dim <= 0 || normalized.length % dim !== 0) {
    throw new Error(`embeddings: length ${normalized.length} is not a multiple of dim ${dim}`);
  }
  const n = normalized.length / dim;
  const nb = emptyNeighbors(n, k);
  if (n < 2 || k === 0) return nb;
  const bq = Math.max(1, opts.queries ?? 512);
  const br = Math.max(1, opts.refs ?? 16384);
  const session = await openSession(searchGraph(dim), { provider: opts.provider ?? 'cpu', intraOpThreads: opts.threads ?? 0 });
  try {
    for (let q0 = 0; q0 < n; q0 += bq) {
      const q1 = Math.min(n, q0 + bq);
      const queries = normalized.subarray(q0 * dim, q1 * dim);
      for (let r0 = 0; r0 < n; r0 += br) {
        const r1 = Math.min(n, r0 + br);
        // One extra candidate so that dropping the query itself still leaves k.
        const kb = Math.min(k + 1, r1 - r0);
        const out = await session.runFeeds({
          queries: { data: queries, dims: [q1 - q0, dim] },
          refs: { data: normalized.subarray(r0 * dim, r1 * dim), dims: [r1 - r0, dim] },
          k: { data: BigInt64Array.of(BigInt(kb)), dims: [1] },
        });
        const values = out.values.data as Float32Array;
        const idx = out.indices.data as Int32Array;
        for (let q = q0; q < q1; q++) {
          const row = (q - q0) * kb;
          for (let c = 0; c < kb; c++) {
            const j = idx[row + c] + r0;
            if (j !== q) offer(nb, q, j, values[row + c]);
          }
        }
      }
      opts.onProgress?.(q1, n);
    }
  } finally {
    await session.release();
  }
  return nb;
}
