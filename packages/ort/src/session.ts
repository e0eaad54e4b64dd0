import * as fs from 'fs';
import * as ort from 'onnxruntime-node';
import { readModelInfo, type ModelInfo } from './model-info';

export type Provider = 'auto' | 'cuda' | 'cpu';

export interface SessionOptions {
  /** 'auto': CUDA when onnxruntime-node reports its CUDA provider bundled, else CPU. */
  provider?: Provider;
  /** Threads for one operator (0 = onnxruntime's default: all cores). */
  intraOpThreads?: number;
}

/** One input or output as the model declares it; a symbolic dimension is its name, unknown is -1. */
export interface ValueInfo {
  name: string;
  type: string;
  shape: (number | string)[];
}

/** A tensor handed to or returned by {@link OnnxSession.runFeeds}. */
export interface TensorData {
  data: Float32Array | Int32Array | BigInt64Array;
  dims: number[];
}

export interface OnnxSession {
  /** The execution provider that actually runs ('cuda' or 'cpu'). */
  readonly provider: 'cuda' | 'cpu';
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Declared inputs and outputs (names, element types, shapes). */
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  /** The model's metadata_props (key -> value). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Producer, opsets, metadata of the model file. */
  readonly info: ModelInfo;
  /** Runs the model on one float32 input; returns every float32 output as {data, dims}. */
  run(input: Float32Array, dims: readonly number[], inputName?: string): Promise<Record<string, { data: Float32Array; dims: number[] }>>;
  /** Runs the model on named inputs of any supported element type; returns every output. */
  runFeeds(feeds: Record<string, TensorData>): Promise<Record<string, TensorData>>;
  release(): Promise<void>;
}

/** Execution providers this onnxruntime-node build knows, and whether their libraries are installed. */
export function supportedProviders(): { name: string; bundled: boolean }[] {
  return ort.listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled }));
}

function cudaBundled(): boolean {
  return supportedProviders().some((b) => b.name === 'cuda' && b.bundled);
}

async function create(model: Uint8Array, providers: string[], threads: number): Promise<ort.InferenceSession> {
  const opts: ort.InferenceSession.SessionOptions = { executionProviders: providers };
  if (threads > 0) opts.intraOpNumThreads = threads;
  return ort.InferenceSession.create(model, opts);
}

function valueInfo(m: ort.InferenceSession.ValueMetadata): ValueInfo {
  if (!m.isTensor) return { name: m.name, type: 'non-tensor', shape: [] };
  return { name: m.name, type: m.type, shape: m.shape.map((d) => (typeof d === 'number' ? d : d === '' ? -1 : d)) };
}

function toOrt(t: TensorData): ort.Tensor {
  if (t.data instanceof Float32Array) return new ort.Tensor('float32', t.data, t.dims);
  if (t.data instanceof Int32Array) return new ort.Tensor('int32', t.data, t.dims);
  return new ort.Tensor('int64', t.data, t.dims);
}

const cudaHint = 'reinstall onnxruntime-node with --onnxruntime-node-install=cuda12, see README "GPU"';

/**
 * Opens an ONNX model from a path or bytes. `provider: 'cuda'` fails with a one-line message when
 * the CUDA provider is not installed or cannot start; `'auto'` tries CUDA only when it is bundled.
 */
export async function openSession(model: string | Uint8Array, opts: SessionOptions = {}): Promise<OnnxSession> {
  const source = typeof model === 'string' ? model : 'model';
  let bytes: Uint8Array;
  try {
    bytes = typeof model === 'string' ? fs.readFileSync(model) : model;
  } catch (err) {
    throw new Error(`${source}: cannot read the model (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const info = readModelInfo(bytes, source);
  const want = opts.provider ?? 'auto';
  const threads = opts.intraOpThreads ?? 0;
  let session: ort.InferenceSession | undefined;
  let provider: 'cuda' | 'cpu' = 'cpu';
  if (want === 'cuda' && !cudaBundled()) {
    throw new Error(`onnxruntime CUDA provider not installed; ${cudaHint}`);
  }
  if (want === 'cuda' || (want === 'auto' && cudaBundled())) {
    try {
      session = await create(bytes, ['cuda'], threads);
      provider = 'cuda';
    } catch (err) {
      if (want === 'cuda') {
        throw new Error(`onnxruntime CUDA provider unavailable (${(err as Error).message.split('\n')[0]}); ${cudaHint}`);
      }
    }
  }
  if (!session) {
    try {
      session = await create(bytes, ['cpu'], threads);
    } catch (err) {
      throw new Error(`${source}: onnxruntime cannot load the model: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const s = session;
  return {
    provider,
    inputNames: s.inputNames,
    outputNames: s.outputNames,
    inputs: s.inputMetadata.map(valueInfo),
    outputs: s.outputMetadata.map(valueInfo),
    metadata: info.metadata,
    info,
    async run(input, dims, inputName = s.inputNames[0]) {
      const out = await s.run({ [inputName]: new ort.Tensor('float32', input, dims) });
      const result: Record<string, { data: Float32Array; dims: number[] }> = {};
      for (const [name, t] of Object.entries(out)) {
        if (!(t.data instanceof Float32Array)) throw new Error(`${source}: output '${name}' is ${t.type}, not float32`);
        result[name] = { data: t.data, dims: [...t.dims] };
      }
      return result;
    },
    async runFeeds(feeds) {
      const input: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) input[name] = toOrt(t);
      const out = await s.run(input);
      const result: Record<string, TensorData> = {};
      for (const [name, t] of Object.entries(out)) {
        const d = t.data;
        if (!(d instanceof Float32Array || d instanceof Int32Array || d instanceof BigInt64Array)) {
          throw new Error(`${source}: output '${name}' has unsupported type ${t.type}`);
        }
        result[name] = { data: d, dims: [...t.dims] };
      }
      return result;
    },
    release: () => s.release(),
  };
}
