/**
 * A labelled grid of exactly what the model sees: the first `count` records of a TFRecord sent
 * through the training pipeline (test or training transform), tiled with each label under its
 * image, as a PNG. Mode 'boxes' shows the whole images with their face boxes instead.
 */
import sharp from 'sharp';
import { decodeFaceRecord } from '@ffem/tfrecord';
import type { AugmentOptions } from '../augment/augment-options';
import { cropAndResize } from '../crop-and-resize';
import { decodeImage } from '../decode-image';
import { interleaveRecords } from '../pipeline/interleave';
import { createPipeline, type Batch } from '../pipeline/pipeline';
import { drawText, GLYPH_H, textWidth } from './digit-font';

export interface PreviewOptions {
  /** Images in the grid (default 64; fewer if the file has fewer records). */
  count?: number;
  /** Apply the training transforms (default false: the test transform). */
  augment?: boolean | Partial<AugmentOptions>;
  height?: number;
  width?: number;
  /** Seed of the augmentation (default 0). */
  seed?: number;
  /** Columns (default ceil(sqrt(count))). */
  columns?: number;
  /**
   * 'model' (default): what the model sees. 'boxes': each whole image, scaled to fit the tile,
   * with its face box drawn in green, to check the boxes themselves.
   */
  mode?: 'model' | 'boxes';
  /** Worker threads (default 0: the main thread; a grid is small). */
  workers?: number;
  onWarning?: (message: string) => void;
}

export interface PreviewGrid {
  png: Buffer;
  count: number;
  columns: number;
  rows: number;
  labels: number[];
  /** Pixel size of one cell (image + label strip + gap). */
  cell: { width: number; height: number };
}

const GAP = 2;
const SCALE = 2;
const STRIP = GLYPH_H * SCALE + 4;

/** Tiles a batch into an RGB grid with labels; returns raw pixels and layout. */
export function tileBatch(b: Batch, columns: number): { rgb: Uint8Array; width: number; height: number; cellW: number; cellH: number } {
  const cols = Math.max(1, Math.min(columns, b.size));
  const rows = Math.max(1, Math.ceil(b.size / cols));
  const cellW = b.width + GAP;
  const cellH = b.height + STRIP + GAP;
  const W = cols * cellW + GAP;
  const H = rows * cellH + GAP;
  const rgb = new Uint8Array(W * H * 3).fill(32);
  const px = b.height * b.width * 3;
  for (let k = 0; k < b.size; k++) {
    const x0 = GAP + (k % cols) * cellW;
    const y0 = GAP + Math.floor(k / cols) * cellH;
    for (let y = 0; y < b.height; y++) {
      for (let x = 0; x < b.width * 3; x++) {
        const v = b.images[k * px + y * b.width * 3 + x];
        rgb[((y0 + y) * W + x0) * 3 + x] = Math.round(Math.min(1, Math.max(0, v)) * 255);
      }
    }
    const text = String(b.labels[k]);
    const tx = x0 + Math.max(0, Math.floor((b.width - textWidth(text, SCALE)) / 2));
    drawText(rgb, W, H, tx, y0 + b.height + 2, text, SCALE, [255, 255, 255]);
  }
  return { rgb, width: W, height: H, cellW, cellH };
}

/** Draws a 1-pixel rectangle outline (inclusive corners, clipped) into an HWC float image. */
function drawRect(img: Float32Array, h: number, w: number, x1: number, y1: number, x2: number, y2: number, rgb: [number, number, number]): void {
  const put = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < w && y < h) img.set(rgb, (y * w + x) * 3);
  };
  for (let x = x1; x <= x2; x++) put(x, y1), put(x, y2);
  for (let y = y1; y <= y2; y++) put(x1, y), put(x2, y);
}

/** The first `count` records as whole images (fitted into height x width) with their boxes. */
async function boxesBatch(file: string, count: number, height: number, width: number, onWarning?: (m: string) => void): Promise<Batch | undefined> {
  const images = new Float32Array(count * height * width * 3);
  const labels = new Int32Array(count);
  let n = 0;
  for await (const rec of interleaveRecords([file])) {
    if (n === count) break;
    const where = `${file}: record ${rec.fileIndex} (offset ${rec.offset})`;
    let face;
    let img;
    try {
      face = decodeFaceRecord(rec.data);
      img = await decodeImage(face.jpeg);
    } catch (err) {
      (onWarning ?? ((m: string) => process.stderr.write(`warning: ${m}\n`)))(`${where}: ${(err as Error).message} (skipped)`);
      continue;
    }
    const s = Math.min(height / img.height, width / img.width);
    const fh = Math.max(1, Math.round(img.height * s));
    const fw = Math.max(1, Math.round(img.width * s));
    const fitted = cropAndResize(img, { y1: 0, x1: 0, y2: 1, x2: 1 }, fh, fw);
    const tile = images.subarray(n * height * width * 3, (n + 1) * height * width * 3);
    for (let y = 0; y < fh; y++) tile.set(fitted.subarray(y * fw * 3, (y + 1) * fw * 3), y * width * 3);
    // pixel p of the image lands at p * (fw - 1) / (W - 1) in the fitted copy (crop_and_resize's mapping)
    const sx = img.width > 1 ? (fw - 1) / (img.width - 1) : 0;
    const sy = img.height > 1 ? (fh - 1) / (img.height - 1) : 0;
    const r = (v: number, k: number) => Math.round(v * k);
    drawRect(tile, height, width, r(face.x1, sx), r(face.y1, sy), r(face.x2, sx), r(face.y2, sy), [0, 1, 0]);
    labels[n++] = face.label;
  }
  if (n === 0) return undefined;
  return { images: images.slice(0, n * height * width * 3), labels: labels.slice(0, n), size: n, height, width };
}

export async function renderPreviewGrid(file: string, opts: PreviewOptions = {}): Promise<PreviewGrid> {
  const count = opts.count ?? 64;
  if (!(Number.isInteger(count) && count >= 1)) throw new Error(`preview: count must be an integer >= 1, got ${count}`);
  const batch = opts.mode === 'boxes' ? await boxesBatch(file, count, opts.height ?? 112, opts.width ?? 112, opts.onWarning) : await modelBatch(file, count, opts);
  if (!batch) throw new Error(`${file}: no decodable face records`);
  const columns = opts.columns ?? Math.ceil(Math.sqrt(batch.size));
  const t = tileBatch(batch, columns);
  const png = await sharp(Buffer.from(t.rgb.buffer, t.rgb.byteOffset, t.rgb.length), { raw: { width: t.width, height: t.height, channels: 3 } })
    .png()
    .toBuffer();
  const cols = Math.max(1, Math.min(columns, batch.size));
  return {
    png,
    count: batch.size,
    columns: cols,
    rows: Math.ceil(batch.size / cols),
    labels: Array.from(batch.labels),
    cell: { width: t.cellW, height: t.cellH },
  };
}

/** The first batch of `count` records from the training pipeline (no shuffle). */
async function modelBatch(file: string, count: number, opts: PreviewOptions): Promise<Batch | undefined> {
  const p = createPipeline({
    files: [file],
    batchSize: count,
    height: opts.height,
    width: opts.width,
    augment: opts.augment ?? false,
    shuffle: false,
    seed: opts.seed ?? 0,
    workers: opts.workers ?? 0,
    prefetch: 1,
    onWarning: opts.onWarning,
  });
  try {
    for await (const b of p.epoch(0)) return b;
    return undefined;
  } finally {
    await p.close();
  }
}
