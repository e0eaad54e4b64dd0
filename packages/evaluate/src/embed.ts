/**
 * Embedding extraction through an onnxruntime session: batched, the test-time crop of training
 * (`@ffem/data` `loadFaceCrop`), optional flip (the mirrored image's embedding is added), the next
 * batch decoded while the model runs the current one.
 */
import { loadFaceCrop } from '@ffem/data';
import type { OnnxSession } from '@ffem/ort';
import type { ModelInput } from './model-input';

/** One image to embed: its name in the report, label, pixel box and bytes. */
export interface FaceImage {
  path: string;
  label: number;
  box: { x1: number; y1: number; x2: number; y2: number };
  bytes: Uint8Array;
}

export interface EmbedOptions {
  batchSize?: number;
  /** Add the embedding of the horizontally mirrored crop. */
  flip?: boolean;
  /** Called after each batch with the number of images done so far. */
  onProgress?: (done: number) => void;
}

export interface Embedded {
  /** Raw (not normalised) embeddings, n x dim, row-major. */
  embeddings: Float32Array;
  dim: number;
  items: { path: string; label: number }[];
  /** Seconds spent in the model and overall. */
  modelSeconds: number;
  seconds: number;
}

/** Mirrors an HWC image left-right in place. */
export function flipHwc(x: Float32Array, height: number, width: number): void {
  for (let y = 0; y < height; y++) {
    for (let l = 0, r = width - 1; l < r; l++, r--) {
      const a = (y * width + l) * 3;
      const b = (y * width + r) * 3;
      for (let c = 0; c < 3; c++) {
        const t = x[a + c];
        x[a + c] = x[b + c];
        x[b + c] = t;
      }
    }
  }
}

/** HWC -> CHW for NCHW models. */
export function hwcToChw(x: Float32Array, height: number, width: number, out: Float32Array, offset: number): void {
  const plane = height * width;
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[offset + c * plane + p] = x[p * 3 + c];
}

async function prepare(batch: FaceImage[], input: ModelInput, flip: boolean): Promise<Float32Array> {
  const { height, width } = input;
  const size = height * width * 3;
  const copies = flip ? 2 : 1;
  const out = new Float32Array(batch.length * copies * size);
  const crops = await Promise.all(
    batch.map((item) =>
      loadFaceCrop(item.bytes, item.box, height, width).catch((err: Error) => {
        throw new Error(`${item.path}: ${err.message}`);
      }),
    ),
  );
  crops.forEach((crop, i) => {
    const place = (x: Float32Array, slot: number) => {
      if (input.layout === 'NHWC') out.set(x, slot * size);
      else hwcToChw(x, height, width, out, slot * size);
    };
    place(crop, i);
    if (flip) {
      const m = Float32Array.from(crop);
      flipHwc(m, height, width);
      place(m, batch.length + i);
    }
  });
  return out;
}

/** Groups an async stream of images into arrays of `size`. */
async function* batches(items: AsyncIterable<FaceImage> | Iterable<FaceImage>, size: number): AsyncGenerator<FaceImage[]> {
  let cur: FaceImage[] = [];
  for await (const item of items) {
    cur.push(item);
    if (cur.length === size) {
      yield cur;
      cur = [];
    }
  }
  if (cur.length) yield cur;
}

/** Embeds every image of the stream, in order. */
export async function embedImages(
  session: OnnxSession,
  input: ModelInput,
  images: AsyncIterable<FaceImage> | Iterable<FaceImage>,
  opts: EmbedOptions = {},
): Promise<Embedded> {
  const t0 = performance.now();
  const bs = Math.max(1, opts.batchSize ?? 32);
  const flip = opts.flip ?? false;
  const chunks: Float32Array[] = [];
  const items: { path: string; label: number }[] = [];
  let dim = -1;
  let modelMs = 0;
  const dims = (n: number) =>
    input.layout === 'NHWC' ? [n, input.height, input.width, 3] : [n, 3, input.height, input.width];
  const it = batches(images, bs);
  let next = await it.next();
  let pending: Promise<Float32Array> | null = next.done ? null : prepare(next.value, input, flip);
  while (!next.done && pending) {
    const batch = next.value;
    const x = await pending;
    // Start decoding the next batch while the model runs this one.
    next = await it.next();
    pending = next.done ? null : prepare(next.value, input, flip);
    pending?.catch(() => undefined);
    const tm = performance.now();
    const out = await session.run(x, dims(batch.length * (flip ? 2 : 1)), input.inputName);
    modelMs += performance.now() - tm;
    const y = out[input.outputName];
    if (!y) throw new Error(`model: no output '${input.outputName}' (has ${Object.keys(out).join(', ')})`);
    const d = y.dims[y.dims.length - 1];
    if (y.dims.length !== 2 || y.dims[0] !== batch.length * (flip ? 2 : 1)) {
      throw new Error(`model: output '${input.outputName}' has shape [${y.dims.join(', ')}], expected [${batch.length * (flip ? 2 : 1)}, D]`);
    }
    if (dim === -1) dim = d;
    const e = new Float32Array(batch.length * dim);
    for (let i = 0; i < batch.length * dim; i++) e[i] = flip ? y.data[i] + y.data[batch.length * dim + i] : y.data[i];
    chunks.push(e);
    for (const item of batch) items.push({ path: item.path, label: item.label });
    opts.onProgress?.(items.length);
  }
  const embeddings = new Float32Array(items.length * Math.max(dim, 0));
  let off = 0;
  for (const c of chunks) {
    embeddings.set(c, off);
    off += c.length;
  }
  return { embeddings, dim: Math.max(dim, 0), items, modelSeconds: modelMs / 1000, seconds: (performance.now() - t0) / 1000 };
}
