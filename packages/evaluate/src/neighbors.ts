/**
 * Exact k-nearest-neighbour search over L2-normalised embeddings, chunked so memory stays bounded:
 * the score matrix is only ever one block of queries x one block of references.
 *
 * Order: score (dot product = cosine similarity) descending, ties broken by the lower index, the
 * query itself excluded. On unit vectors the squared L2 distance is 2 - 2 cos, so this order is
 * also the L2 order: one search serves both metrics.
 */

/** Top-k lists of every query: row q holds `indices[q*k ..]`, `scores[q*k ..]`; -1 / NaN pad short rows. */
export interface Neighbors {
  n: number;
  k: number;
  indices: Int32Array;
  scores: Float32Array;
}

/** Search block sizes (rows of queries, rows of references per block). */
export interface SearchBlocks {
  queries?: number;
  refs?: number;
}

/**
 * Returns a copy with every row scaled to unit L2 norm (`x / sqrt(max(sum x^2, 1e-12))`, as
 * `tf.math.l2_normalize`); an all-zero row stays zero.
 */
export function l2Normalize(embeddings: Float32Array, dim: number): Float32Array {
  if (dim <= 0 || embeddings.length % dim !== 0) {
    throw new Error(`embeddings: length ${embeddings.length} is not a multiple of dim ${dim}`);
  }
  const out = new Float32Array(embeddings.length);
  for (let off = 0; off < embeddings.length; off += dim) {
    let ss = 0;
    for (let d = 0; d < dim; d++) ss += embeddings[off + d] * embeddings[off + d];
    const inv = 1 / Math.sqrt(Math.max(ss, 1e-12));
    for (let d = 0; d < dim; d++) out[off + d] = embeddings[off + d] * inv;
  }
  return out;
}

/** Creates empty top-k lists for n queries. */
export function emptyNeighbors(n: number, k: number): Neighbors {
  return { n, k, indices: new Int32Array(n * k).fill(-1), scores: new Float32Array(n * k).fill(NaN) };
}

/**
 * Offers candidate `j` with score `s` to query `q`'s list. Candidates must arrive in increasing
 * `j` for equal scores (true for a left-to-right scan), so an equal score never displaces an
 * earlier index.
 */
export function offer(nb: Neighbors, q: number, j: number, s: number): void {
  const { k, indices, scores } = nb;
  if (k === 0) return;
  const base = q * k;
  const last = base + k - 1;
  if (indices[last] !== -1 && !(s > scores[last])) return;
  let p = last;
  while (p > base && (indices[p - 1] === -1 || scores[p - 1] < s)) {
    indices[p] = indices[p - 1];
    scores[p] = scores[p - 1];
    p--;
  }
  indices[p] = j;
  scores[p] = s;
}

function checkShape(emb: Float32Array, dim: number, k: number): number {
  if (dim <= 0 || emb.length % dim !== 0) throw new Error(`embeddings: length ${emb.length} is not a multiple of dim ${dim}`);
  if (!Number.isInteger(k) || k < 0) throw new Error(`search: k must be a non-negative integer, got ${k}`);
  return emb.length / dim;
}

/**
 * Exact top-k neighbours of every row among the other rows, by dot product (pass normalised
 * embeddings), in plain TypeScript: synchronous, for the few thousand embeddings of a validation
 * set. For 10^5 rows use `nearestNeighborsOrt`.
 */
export function nearestNeighbors(normalized: Float32Array, dim: number, k: number, blocks: SearchBlocks = {}): Neighbors {
  const n = checkShape(normalized, dim, k);
  const kk = Math.min(k, Math.max(n - 1, 0));
  const nb = emptyNeighbors(n, k);
  const bq = Math.max(1, blocks.queries ?? 64);
  const br = Math.max(1, blocks.refs ?? 1024);
  const block = new Float64Array(bq * br);
  const x = normalized;
  for (let q0 = 0; q0 < n; q0 += bq) {
    const q1 = Math.min(n, q0 + bq);
    for (let r0 = 0; r0 < n; r0 += br) {
      const r1 = Math.min(n, r0 + br);
      const w = r1 - r0;
      // Four queries share each reference load.
      let q = q0;
      for (; q + 3 < q1; q += 4) {
        const a0 = q * dim;
        const a1 = a0 + dim;
        const a2 = a1 + dim;
        const a3 = a2 + dim;
        const row = (q - q0) * w;
        for (let r = r0; r < r1; r++) {
          const b = r * dim;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let d = 0; d < dim; d++) {
            const v = x[b + d];
            s0 += x[a0 + d] * v;
            s1 += x[a1 + d] * v;
            s2 += x[a2 + d] * v;
            s3 += x[a3 + d] * v;
          }
          const c = row + r - r0;
          block[c] = s0;
          block[c + w] = s1;
          block[c + 2 * w] = s2;
          block[c + 3 * w] = s3;
        }
      }
      for (; q < q1; q++) {
        const a = q * dim;
        const row = (q - q0) * w;
        for (let r = r0; r < r1; r++) {
          const b = r * dim;
          let s = 0;
          for (let d = 0; d < dim; d++) s += x[a + d] * x[b + d];
          block[row + r - r0] = s;
        }
      }
      if (kk === 0) continue;
      for (let qq = q0; qq < q1; qq++) {
        const row = (qq - q0) * w;
        for (let r = r0; r < r1; r++) {
          if (r !== qq) offer(nb, qq, r, Math.fround(block[row + r - r0]));
        }
      }
    }
  }
  return nb;
}
