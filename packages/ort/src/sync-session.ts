/**
 * Synchronous onnxruntime sessions (CPU, MLAS: AVX2/AVX-512, its own thread pool) for code that
 * cannot await: tfjs kernels are synchronous functions. `createSyncGemm` is a GEMM built on one.
 *
 * onnxruntime-node's public `InferenceSession.run` is async only because it defers the call with
 * setImmediate; the session object underneath (`onnxruntime-node/dist/binding`, documented there
 * as "a simple synchronized inference session object wrap") runs synchronously. That module is
 * internal to onnxruntime-node, so the version is pinned exactly in package.json and the tests
 * here fail if it changes shape.
 *
 * Inputs are passed as Float32Array views (read in place), and outputs are written straight into
 * the caller's views (preallocated outputs). Views over a SharedArrayBuffer are refused by
 * onnxruntime-node ("Invalid argument"); for those, copy into ordinary buffers.
 */
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';

interface BindingSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, ort.Tensor>, fetches: Record<string, ort.Tensor | null>, options: object): Record<string, ort.Tensor>;
  dispose(): void;
}

interface BindingModule {
  binding: { InferenceSession: new () => BindingSession };
  initOrt(): void;
}

/** A float32 tensor for a synchronous run: a view and its dimensions. */
export interface SyncTensor {
  data: Float32Array;
  dims: readonly number[];
}

/** Runs a model synchronously: reads `inputs`, writes each output into the view given for it. */
export type SyncRun = (inputs: Record<string, SyncTensor>, outputs: Record<string, SyncTensor>) => void;

let bindingModule: BindingModule | null = null;

function loadBinding(): BindingModule {
  if (bindingModule) return bindingModule;
  let mod: BindingModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('onnxruntime-node/dist/binding') as BindingModule;
  } catch (e) {
    throw new Error(`synchronous onnxruntime: onnxruntime-node has no dist/binding module (${(e as Error).message}); it needs onnxruntime-node 1.30`);
  }
  if (typeof mod.initOrt !== 'function' || typeof mod.binding?.InferenceSession !== 'function') {
    throw new Error('synchronous onnxruntime: onnxruntime-node/dist/binding no longer exports initOrt and binding.InferenceSession; it needs onnxruntime-node 1.30');
  }
  mod.initOrt();
  return (bindingModule = mod);
}

/**
 * A synchronous CPU session for an ONNX model (bytes) on `threads` cores (0: onnxruntime's
 * default, all of them). Throws a one-line error if this onnxruntime-node has no synchronous
 * session (a version other than the pinned one).
 */
export function openSyncSession(model: Uint8Array, threads = 0): SyncRun {
  const mod = loadBinding();
  const session = new mod.binding.InferenceSession();
  // No spinning: between two runs the caller's own threads need the cores, and every session has
  // a pool of its own (spinning pools made a ResNet50 training step 2x slower here).
  session.loadModel(model.buffer, model.byteOffset, model.byteLength, {
    executionProviders: [{ name: 'cpu' }],
    interOpNumThreads: 1,
    ...(threads > 0 ? { intraOpNumThreads: threads } : {}),
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  const tensors = (ts: Record<string, SyncTensor>) => Object.fromEntries(Object.entries(ts).map(([k, t]) => [k, new ort.Tensor('float32', t.data, t.dims)]));
  return (inputs, outputs) => {
    session.run(tensors(inputs), tensors(outputs), {});
  };
}

/** `y [m, n] = op(a) @ op(b)`, op = transpose when the flag is set; `a` is `[m, k]` or (transA) `[k, m]`. */
export type SyncGemm = (a: Float32Array, b: Float32Array, y: Float32Array, m: number, k: number, n: number, transA?: boolean, transB?: boolean) => void;

function gemmModel(transA: boolean, transB: boolean): Uint8Array {
  const dims = (names: string[]) => ({ dim: names.map((dimParam) => ({ dimParam })) });
  const value = (name: string, names: string[]) => onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: dims(names) } } });
  const int = (name: string, i: number) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i });
  const graph = onnx.GraphProto.create({
    name: 'ffem_sync_gemm',
    node: [onnx.NodeProto.create({ opType: 'Gemm', input: ['a', 'b'], output: ['y'], attribute: [int('transA', transA ? 1 : 0), int('transB', transB ? 1 : 0)] })],
    input: [value('a', transA ? ['k', 'm'] : ['m', 'k']), value('b', transB ? ['n', 'k'] : ['k', 'n'])],
    output: [value('y', ['m', 'n'])],
  });
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, producerName: '@ffem/ort', opsetImport: [{ domain: '', version: 13 }], graph })).finish();
}

/** A GEMM running on `threads` cores (0: all), one synchronous session per transpose combination. */
export function createSyncGemm(threads = 0): SyncGemm {
  loadBinding();
  const sessions = new Map<number, SyncRun>();
  return (a, b, y, m, k, n, transA = false, transB = false) => {
    if (a.length !== m * k || b.length !== k * n || y.length !== m * n) {
      throw new Error(`sync GEMM: sizes do not match [${m}, ${k}] x [${k}, ${n}] (got ${a.length}, ${b.length}, ${y.length} elements)`);
    }
    const key = (transA ? 2 : 0) + (transB ? 1 : 0);
    let run = sessions.get(key);
    if (!run) sessions.set(key, (run = openSyncSession(gemmModel(transA, transB), threads)));
    run({ a: { data: a, dims: transA ? [k, m] : [m, k] }, b: { data: b, dims: transB ? [n, k] : [k, n] } }, { y: { data: y, dims: [m, n] } });
  };
}
