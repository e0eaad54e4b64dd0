/**
 * Access to the tfjs `wasm` backend's heap for kernels written here: float32 views of tensors,
 * scratch tensors allocated on the heap, and the backend's own XNNPACK matrix product.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The emscripten module fields used here (the threaded build exports `wasmMemory`). */
interface WasmModule {
  wasmMemory?: { buffer: ArrayBufferLike };
  HEAPU8: Uint8Array;
}

/**
 * The whole heap as float32. Rebuilt on every call: the heap buffer is replaced when the heap
 * grows, so a view must be taken after the last allocation and never kept across one.
 */
export function heapF32(backend: BackendWasm): Float32Array {
  const wasm = backend.wasm as unknown as WasmModule;
  const buffer = wasm.wasmMemory?.buffer ?? wasm.HEAPU8.buffer;
  return new Float32Array(buffer);
}

/** The whole heap as int32 (same rules as `heapF32`; int32 tensors index it with `offsetF32`). */
export function heapI32(backend: BackendWasm): Int32Array {
  const f = heapF32(backend);
  return new Int32Array(f.buffer, f.byteOffset, f.length);
}

/** Index (in float32 elements) of a tensor's first element in `heapF32(backend)`. */
export function offsetF32(backend: BackendWasm, t: tf.TensorInfo): number {
  const off = backend.dataIdMap.get(t.dataId)?.memoryOffset;
  if (off == null) throw new Error(`wasm heap: tensor ${JSON.stringify(t.shape)} has no memory on the heap`);
  if (off % 4 !== 0) throw new Error(`wasm heap: tensor offset ${off} is not 4-byte aligned`);
  return off / 4;
}

/** Allocates an uninitialised float32 tensor on the heap (release with `free` unless returned). */
export function alloc(backend: BackendWasm, shape: number[]): tf.TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

/** Releases a scratch tensor made by `alloc` or `matMul`. */
export function free(backend: BackendWasm, t: tf.TensorInfo): void {
  backend.disposeData(t.dataId);
}

/** The same data seen with another shape (no copy; do not free it separately). */
export function view(t: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

let batchMatMul: tf.KernelFunc | null = null;

/**
 * `a [M, K] @ b [K, N]` through the backend's own BatchMatMul (XNNPACK fully-connected; it is
 * fast only without transposes, so callers lay their operands out for that). Returns `[M, N]`.
 */
export function matMul(backend: BackendWasm, a: tf.TensorInfo, b: tf.TensorInfo, m: number, k: number, n: number): tf.TensorInfo {
  if (!batchMatMul) {
    const kernel = tf.getKernel('BatchMatMul', 'wasm');
    if (!kernel) throw new Error('wasm backend: no BatchMatMul kernel registered');
    batchMatMul = kernel.kernelFunc;
  }
  const out = batchMatMul({
    inputs: { a: view(a, [1, m, k]), b: view(b, [1, k, n]) },
    backend,
    attrs: { transposeA: false, transposeB: false },
  }) as tf.TensorInfo;
  return view(out, [m, n]);
}

/**
 * Transposes a row-major `[rows, cols]` float32 block at `src` into `[cols, rows]` at `dst`
 * (both indices into `heap`), in cache-sized tiles.
 */
export function transpose2d(heap: Float32Array, src: number, dst: number, rows: number, cols: number): void {
  const T = 32;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(r0 + T, rows);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(c0 + T, cols);
      for (let r = r0; r < r1; r++) {
        const s = src + r * cols;
        for (let c = c0; c < c1; c++) heap[dst + c * rows + r] = heap[s + c];
      }
    }
  }
}
