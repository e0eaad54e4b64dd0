/**
 * `Sum` and `Mean` for the tfjs `wasm` backend when the reduced axes are the leading ones (all
 * but the channels of an NHWC tensor: every batch-norm statistic and batch-norm gradient). The
 * backend's own kernels first transpose the tensor so that the reduced axes come last, a full
 * copy of the activation per reduction; here the column sums are one matrix-vector product,
 * `ones [1, outer] @ x [outer, inner]`, through {@link gemm} (onnxruntime's MLAS: on a fresh
 * [8, 28, 28, 256] batch-norm input 1.2 ms, 2.7 ms on the threaded build's shared heap, against
 * 6.4 ms for a JS loop, 20 ms for the transposing kernel and 20 ms for XNNPACK, which packs its
 * weight operand anew for every new tensor). The sums are float32 like the backend's, in
 * another order: results differ in the last bits.
 * Any other axes, dtypes or empty tensors, and the XNNPACK engine, go to the backend's own kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { withFallback } from './fallback-kernel';
import { alloc, free, gemm, heapF32, offsetF32, ortEngine, view } from './heap';

type ReduceName = 'Sum' | 'Mean';

/** The number of leading axes `axis` names when they are exactly 0..r-1 (r < rank), else 0. */
export function leadingAxes(axis: number | number[], rank: number): number {
  const axes = tf.util.parseAxisParam(axis, Array(rank).fill(1));
  const sorted = [...new Set(axes)].sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.length >= rank) return 0;
  return sorted.every((a, i) => a === i) ? sorted.length : 0;
}

/** A heap tensor of at least `n` ones, kept between calls (grown when a larger one is needed). */
let onesCache: { backend: BackendWasm; t: tf.TensorInfo; n: number } | null = null;
function ones(backend: BackendWasm, n: number): tf.TensorInfo {
  if (!onesCache || onesCache.backend !== backend || onesCache.n < n) {
    if (onesCache?.backend === backend) free(backend, onesCache.t);
    const size = Math.max(n, 2 * (onesCache?.n ?? 0));
    const t = alloc(backend, [size]);
    const off = offsetF32(backend, t);
    heapF32(backend).fill(1, off, off + size);
    onesCache = { backend, t, n: size };
  }
  return onesCache.t;
}

function makeKernel(name: ReduceName) {
  return withFallback(name, ({ inputs, backend: b, attrs }) => {
    const backend = b as BackendWasm;
    const { x } = inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
    // On XNNPACK the product would repack x as a weight matrix: no faster than the backend's kernel.
    const lead = x.dtype === 'float32' && ortEngine().name === 'onnxruntime' ? leadingAxes(axis, x.shape.length) : 0;
    const outer = tf.util.sizeFromShape(x.shape.slice(0, lead));
    const inner = tf.util.sizeFromShape(x.shape.slice(lead));
    if (lead === 0 || outer === 0 || inner === 0) return null;
    const sums = gemm(backend, ones(backend, outer), x, 1, outer, inner);
    if (name === 'Mean') {
      const heap = heapF32(backend);
      const y = offsetF32(backend, sums);
      for (let i = 0; i < inner; i++) heap[y + i] /= outer;
    }
    return view(sums, keepDims ? x.shape.map((d, i) => (i < lead ? 1 : d)) : x.shape.slice(lead));
  });
}

export const sumConfig = makeKernel('Sum');
export const meanConfig = makeKernel('Mean');
