/**
 * Access to the tfjs `wasm` backend's heap for kernels written here: float32 views of tensors,
 * scratch tensors allocated on the heap, and the backend's own XNNPACK matrix product.
 */
import * as os from 'os';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { createSyncGemm, type SyncGemm, type SyncRun } from '@ffem/ort';

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

/** The whole heap as bytes, as the native kernels take it (same rules as `heapF32`). */
export function heapU8(backend: BackendWasm): Uint8Array {
  const f = heapF32(backend);
  return new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
}

/** Byte offset of a tensor's data in the heap. */
export function byteOffset(backend: BackendWasm, t: tf.TensorInfo): number {
  const off = backend.dataIdMap.get(t.dataId)?.memoryOffset;
  if (off == null) throw new Error(`wasm heap: tensor ${JSON.stringify(t.shape)} has no memory on the heap`);
  return off;
}

/** Index (in float32 elements) of a tensor's first element in `heapF32(backend)`. */
export function offsetF32(backend: BackendWasm, t: tf.TensorInfo): number {
  const off = byteOffset(backend, t);
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

/** Where the heavy kernels here run (see {@link ortEngine}). */
export type HeavyEngine = 'onnxruntime' | 'xnnpack';

let engine: { name: HeavyEngine; gemm: SyncGemm | null; why?: string } | null = null;

/**
 * Where matrix products and convolutions run: onnxruntime's MLAS through `@ffem/ort`'s synchronous
 * sessions (AVX2/AVX-512 on all cores, 100+ GFLOP/s here against 12-24 for the backend's XNNPACK
 * and its wasm SIMD), unless `FFEM_WASM_ORT=0` or onnxruntime-node cannot run synchronously, in
 * which case the backend's own XNNPACK does the work.
 */
export function ortEngine(): { name: HeavyEngine; why?: string } {
  if (!engine) {
    if (process.env.FFEM_WASM_ORT === '0') engine = { name: 'xnnpack', gemm: null, why: 'FFEM_WASM_ORT=0' };
    else {
      try {
        engine = { name: 'onnxruntime', gemm: createSyncGemm(ortThreads()) };
      } catch (e) {
        engine = { name: 'xnnpack', gemm: null, why: (e as Error).message };
      }
    }
  }
  return { name: engine.name, ...(engine.why ? { why: engine.why } : {}) };
}

/**
 * Switches the engine for the kernels' next calls (the parity tests run every kernel on both;
 * users switch with FFEM_WASM_ORT=0 before the backend starts).
 */
export function setHeavyEngine(name: HeavyEngine): void {
  engine = null;
  if (name === 'xnnpack') engine = { name, gemm: null, why: 'setHeavyEngine' };
  else if (ortEngine().name !== 'onnxruntime') throw new Error(`onnxruntime engine unavailable: ${engine!.why}`);
}

/** Threads of onnxruntime's pool: every core (the wasm workers wait while a kernel runs). */
export function ortThreads(): number {
  return os.availableParallelism();
}

let ortRuns = 0;

/** How many onnxruntime runs the kernels here have made (tests check that a path was taken). */
export function ortRunCount(): number {
  return ortRuns;
}

/** Scratch copies for operands on a shared heap (onnxruntime-node refuses SharedArrayBuffer views). */
let scratch = new Float32Array(0);

/** A heap tensor handed to {@link runOnHeap}, with the dimensions the model declares for it. */
export interface HeapOperand {
  t: tf.TensorInfo;
  dims: number[];
}

/**
 * Runs `run` (a synchronous onnxruntime session) on heap tensors: inputs read in place, outputs
 * written in place, except on the threaded build's shared heap, where they pass through ordinary
 * scratch buffers (a memory copy each way). Outputs must be allocated by the caller.
 */
export function runOnHeap(backend: BackendWasm, run: SyncRun, inputs: Record<string, HeapOperand>, outputs: Record<string, HeapOperand>): void {
  ortRuns++;
  const heap = heapF32(backend);
  const viewOf = (o: HeapOperand) => {
    const off = offsetF32(backend, o.t);
    return heap.subarray(off, off + tf.util.sizeFromShape(o.dims));
  };
  const ins = Object.entries(inputs).map(([name, o]) => [name, viewOf(o), o.dims] as const);
  const outs = Object.entries(outputs).map(([name, o]) => [name, viewOf(o), o.dims] as const);
  if (!(heap.buffer instanceof SharedArrayBuffer)) {
    run(Object.fromEntries(ins.map(([n, data, dims]) => [n, { data, dims }])), Object.fromEntries(outs.map(([n, data, dims]) => [n, { data, dims }])));
    return;
  }
  const need = [...ins, ...outs].reduce((acc, [, v]) => acc + v.length, 0);
  if (scratch.length < need) scratch = new Float32Array(need);
  let at = 0;
  const take = (v: Float32Array) => scratch.subarray(at, (at += v.length));
  const sIns = ins.map(([n, v, dims]) => {
    const c = take(v);
    c.set(v);
    return [n, { data: c, dims }] as const;
  });
  const sOuts = outs.map(([n, v, dims]) => [n, { data: take(v), dims }, v] as const);
  run(Object.fromEntries(sIns), Object.fromEntries(sOuts.map(([n, t]) => [n, t])));
  for (const [, t, v] of sOuts) v.set(t.data);
}

/**
 * `op(a) @ op(b)` as a new `[m, n]` heap tensor; `a` is `[m, k]` (or `[k, m]` with `transA`), `b`
 * is `[k, n]` (or `[n, k]` with `transB`), both row-major on the heap. On onnxruntime (see
 * {@link runOnHeap}); on XNNPACK, transposed operands are transposed first.
 */
export function gemm(backend: BackendWasm, a: tf.TensorInfo, b: tf.TensorInfo, m: number, k: number, n: number, transA = false, transB = false): tf.TensorInfo {
  ortEngine();
  const run = engine!.gemm;
  if (!run) {
    const at = transA ? transposed(backend, a, k, m) : a;
    const bt = transB ? transposed(backend, b, n, k) : b;
    const y = matMul(backend, at, bt, m, k, n);
    if (at !== a) free(backend, at);
    if (bt !== b) free(backend, bt);
    return y;
  }
  const y = alloc(backend, [m, n]);
  runOnHeap(
    backend,
    (ins, outs) => run(ins.a.data, ins.b.data, outs.y.data, m, k, n, transA, transB),
    { a: { t: a, dims: transA ? [k, m] : [m, k] }, b: { t: b, dims: transB ? [n, k] : [k, n] } },
    { y: { t: y, dims: [m, n] } },
  );
  return y;
}

/** A `[cols, rows]` heap copy of the row-major `[rows, cols]` tensor `t`. */
function transposed(backend: BackendWasm, t: tf.TensorInfo, rows: number, cols: number): tf.TensorInfo {
  const out = alloc(backend, [cols, rows]);
  transpose2d(heapF32(backend), offsetF32(backend, t), offsetF32(backend, out), rows, cols);
  return out;
}
