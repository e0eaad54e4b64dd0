import * as ort from 'onnxruntime-node';

export type Provider = 'auto' | 'cuda' | 'cpu';

export interface SessionOptions {
  /** 'auto': CUDA when onnxruntime-node was installed with its CUDA files, else CPU. */
  provider?: Provider;
  /** Threads for one operator (0 = onnxruntime's default: all cores). */
  intraOpThreads?: number;
}

export interface OnnxSession {
  /** The execution provider that actually runs ('cuda' or 'cpu'). */
  readonly provider: 'cuda' | 'cpu';
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** The model's metadata_props (key -> value). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Runs the model on one float32 input; returns every output as {data, dims}. */
  run(input: Float32Array, dims: readonly number[], inputName?: string): Promise<Record<string, { data: Float32Array; dims: number[] }>>;
  release(): Promise<void>;
}

function metadataOf(session: ort.InferenceSession): Record<string, string> {
  // onnxruntime-node >= 1.20 exposes custom metadata through `session.metadata`? Not in every
  // version: fall back to an empty map and let callers read the ONNX file when they need it.
  const anySession = session as unknown as { metadata?: { customMetadataMap?: Record<string, string> } };
  return { ...(anySession.metadata?.customMetadataMap ?? {}) };
}

async function create(model: string | Uint8Array, providers: string[], threads: number): Promise<ort.InferenceSession> {
  const opts: ort.InferenceSession.SessionOptions = { executionProviders: providers, intraOpNumThreads: threads || undefined };
  return typeof model === 'string' ? ort.InferenceSession.create(model, opts) : ort.InferenceSession.create(model, opts);
}

/** Opens an ONNX model from a path or bytes. */
export async function openSession(model: string | Uint8Array, opts: SessionOptions = {}): Promise<OnnxSession> {
  const want = opts.provider ?? 'auto';
  let session: ort.InferenceSession;
  let provider: 'cuda' | 'cpu' = 'cpu';
  if (want === 'cpu') {
    session = await create(model, ['cpu'], opts.intraOpThreads ?? 0);
  } else {
    try {
      session = await create(model, ['cuda'], opts.intraOpThreads ?? 0);
      provider = 'cuda';
    } catch (err) {
      if (want === 'cuda') {
        throw new Error(
          `onnxruntime CUDA provider unavailable (${(err as Error).message.split('\n')[0]}); ` +
            'reinstall onnxruntime-node with --onnxruntime-node-install=cuda12, see README "GPU"',
        );
      }
      session = await create(model, ['cpu'], opts.intraOpThreads ?? 0);
    }
  }
  const s = session;
  return {
    provider,
    inputNames: s.inputNames,
    outputNames: s.outputNames,
    metadata: metadataOf(s),
    async run(input, dims, inputName = s.inputNames[0]) {
      const feeds = { [inputName]: new ort.Tensor('float32', input, dims) };
      const out = await s.run(feeds);
      const result: Record<string, { data: Float32Array; dims: number[] }> = {};
      for (const [name, t] of Object.entries(out)) {
        result[name] = { data: t.data as Float32Array, dims: [...t.dims] };
      }
      return result;
    },
    release: () => s.release(),
  };
}
