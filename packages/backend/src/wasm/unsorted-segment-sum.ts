/**
 * `UnsortedSegmentSum` for the tfjs `wasm` backend, which has none (it is the gradient of
 * `tf.gather`, e.g. the center loss of the SoftmaxCenter head): one pass over the rows of `x` on
 * the wasm heap, `out[ids[r]] += x[r]` (rows grouped by segment first, so the float32 output is
 * written once and untouched segments only zeroed), accumulated in float64 in row order as the
 * `cpu` backend's reference does (its mask-multiply-sum per segment, O(numSegments · size), gives
 * the same sums, bit for bit). `segmentIds` (int32) covers the leading `ids.rank` dimensions of `x`; ids outside
 * [0, numSegments) are dropped, as in TensorFlow and the `cpu` backend. Output float32
 * `[numSegments, ...x.shape[ids.rank:]]`, as the `cpu` backend returns for every input dtype.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { alloc, heapF32, heapI32, offsetF32 } from './heap';

function unsortedSegmentSum(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = args.attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const where = 'UnsortedSegmentSum (wasm, @ffem/backend)';
  if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') throw new Error(`${where}: x dtype ${x.dtype} not supported`);
  if (segmentIds.dtype !== 'int32') throw new Error(`${where}: segmentIds must be int32, got ${segmentIds.dtype}`);
  if (!Number.isInteger(numSegments) || numSegments < 0) throw new Error(`${where}: numSegments ${numSegments} is not an integer >= 0`);
  const idsRank = segmentIds.shape.length;
  if (idsRank > x.shape.length || segmentIds.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`${where}: segmentIds shape [${segmentIds.shape.join(', ')}] is not a prefix of x shape [${x.shape.join(', ')}]`);
  }
  const rows = tf.util.sizeFromShape(segmentIds.shape);
  const innerShape = x.shape.slice(idsRank);
  const inner = tf.util.sizeFromShape(innerShape);
  const out = alloc(backend, [numSegments, ...innerShape]);
  const outSize = numSegments * inner;
  if (outSize === 0) return out;
  // Rows of each segment as a linked list in row order (built backwards): first[s], next[r].
  const ids = heapI32(backend);
  const idsOff = rows > 0 ? offsetF32(backend, segmentIds) : 0;
  const first = new Int32Array(numSegments).fill(-1);
  const next = new Int32Array(rows);
  for (let r = rows - 1; r >= 0; r--) {
    const s = ids[idsOff + r];
    if (s < 0 || s >= numSegments) continue;
    next[r] = first[s];
    first[s] = r;
  }
  // Views after the last allocation (a heap growth replaces the buffer).
  const outF = heapF32(backend);
  const outOff = offsetF32(backend, out);
  outF.fill(0, outOff, outOff + outSize);
  const xs = x.dtype === 'float32' ? outF : x.dtype === 'int32' ? heapI32(backend) : new Uint8Array(outF.buffer);
  // bool tensors are one byte per element on the heap: their offset is in bytes.
  const xOff = rows * inner === 0 ? 0 : x.dtype === 'bool' ? backend.dataIdMap.get(x.dataId)!.memoryOffset : offsetF32(backend, x);
  const acc = new Float64Array(inner);
  for (let s = 0; s < numSegments; s++) {
    let r = first[s];
    if (r < 0) continue;
    const dst = outOff + s * inner;
    if (next[r] < 0 && x.dtype === 'float32') {
      outF.copyWithin(dst, xOff + r * inner, xOff + (r + 1) * inner);
      continue;
    }
    acc.fill(0);
    for (; r >= 0; r = next[r]) {
      const src = xOff + r * inner;
      for (let j = 0; j < inner; j++) acc[j] += xs[src + j];
    }
    outF.set(acc, dst);
  }
  return out;
}

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as tf.KernelFunc,
};
