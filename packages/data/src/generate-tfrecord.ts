/**
 * `generate-tfrecord`: an image list + image folder -> face TFRecord(s), as the Python original's
 * `generate_tfrecord/main.py` (entries in list order; `--max_label N` drops labels above N), plus:
 * unreadable images are skipped and named (or fatal with `strict`), boxes reaching past the image
 * are clipped to it and counted, several shards, and all outputs appear only once complete.
 */
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { TFRecordWriter, encodeFaceRecord } from '@ffem/tfrecord';
import { type ImageListEntry, readImageList } from './image-list';

export interface GenerateTFRecordOptions {
  /** Folder the image list's paths are relative to. */
  rootPath: string;
  /** The `image_list.json`. */
  jsonFile: string;
  /** Output file (`.gz` suffix: GZIP). With shards, `NAME-00000-of-0000N.tfrecord` beside it. */
  output: string;
  /** Keep only entries with label <= maxLabel (the original's `--max_label`). */
  maxLabel?: number;
  /** Number of output files; record i goes to shard i mod N (default 1). */
  shards?: number;
  /** A missing or undecodable image is an error instead of a skip. */
  strict?: boolean;
  /** Images read ahead in parallel (default 16). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SkippedImage {
  path: string;
  reason: string;
}

export interface GenerateTFRecordSummary {
  outputs: string[];
  /** Records written. */
  written: number;
  /** Images skipped, with the reason. */
  skipped: SkippedImage[];
  /** Entries dropped by `maxLabel`. */
  filtered: number;
  /** Records whose box was clipped to the image. */
  clipped: number;
  /** Largest label written (-1 when nothing was written). */
  maxLabel: number;
  /** `maxLabel + 1`, the class count of a 0-based label set (as the original prints it). */
  numClasses: number;
  /** Distinct labels written. */
  distinctLabels: number;
}

/** Output names for `shards` shards: `a/b.tfrecord` -> `a/b-00000-of-00004.tfrecord`, ... (one shard: unchanged). */
export function shardNames(output: string, shards: number): string[] {
  if (!Number.isInteger(shards) || shards < 1) throw new Error(`shards: expected an integer >= 1, got ${shards}`);
  if (shards === 1) return [output];
  const m = /^(.*?)((?:\.tfrecords?)?(?:\.gz|\.gzip|\.zlib)?)$/i.exec(output) as RegExpExecArray;
  const [stem, ext] = [m[1], m[2]];
  const w = Math.max(5, String(shards).length);
  const pad = (n: number) => String(n).padStart(w, '0');
  return Array.from({ length: shards }, (_, i) => `${stem}-${pad(i)}-of-${pad(shards)}${ext}`);
}

type Loaded = { ok: true; jpeg: Buffer; width: number; height: number } | { ok: false; reason: string };

async function load(root: string, e: ImageListEntry): Promise<Loaded> {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(path.join(root, e.path));
  } catch (err) {
    const c = (err as NodeJS.ErrnoException).code;
    return { ok: false, reason: c === 'ENOENT' ? 'missing file' : `unreadable (${c ?? (err as Error).message})` };
  }
  try {
    const m = await sharp(bytes).metadata();
    if (!m.width || !m.height) return { ok: false, reason: 'image without a size' };
    // Stored pixel size: EXIF orientation is ignored, as tf.io.decode_jpeg and decodeImage do.
    return { ok: true, jpeg: bytes, width: m.width, height: m.height };
  } catch (err) {
    return { ok: false, reason: `not a decodable image (${(err as Error).message})` };
  }
}

/** Writes the face TFRecord(s) for an image list; see {@link GenerateTFRecordOptions}. */
export async function generateTFRecord(opts: GenerateTFRecordOptions): Promise<GenerateTFRecordSummary> {
  const root = await fs.promises.stat(opts.rootPath).catch(() => null);
  if (!root?.isDirectory()) throw new Error(`${opts.rootPath}: root_path: no such directory`);
  const all = await readImageList(opts.jsonFile);
  const maxLabel = opts.maxLabel;
  if (maxLabel !== undefined && (!Number.isInteger(maxLabel) || maxLabel < 0)) {
    throw new Error(`max_label: expected a non-negative integer, got ${maxLabel}`);
  }
  const entries = maxLabel === undefined ? all : all.filter((e) => e.label <= maxLabel);
  const outputs = shardNames(opts.output, opts.shards ?? 1);
  const ahead = Math.max(1, opts.concurrency ?? 16);
  const summary: GenerateTFRecordSummary = {
    outputs,
    written: 0,
    skipped: [],
    filtered: all.length - entries.length,
    clipped: 0,
    maxLabel: -1,
    numClasses: 0,
    distinctLabels: 0,
  };
  const labels = new Set<number>();
  const writers: TFRecordWriter[] = [];
  try {
    for (const o of outputs) writers.push(await TFRecordWriter.open(o));
    const pending: Array<Promise<Loaded>> = [];
    let next = 0;
    for (let i = 0; i < entries.length; i++) {
      while (next < entries.length && next - i < ahead) {
        pending[next] = load(opts.rootPath, entries[next]);
        next++;
      }
      const got = await pending[i];
      delete pending[i];
      const e = entries[i];
      opts.onProgress?.(i + 1, entries.length);
      if (!got.ok) {
        if (opts.strict) throw new Error(`${path.join(opts.rootPath, e.path)}: ${got.reason}`);
        summary.skipped.push({ path: e.path, reason: got.reason });
        continue;
      }
      if (e.x1 >= got.width || e.y1 >= got.height) {
        summary.skipped.push({ path: e.path, reason: `box [${e.x1}, ${e.y1}, ${e.x2}, ${e.y2}] outside the ${got.width}x${got.height} image` });
        continue;
      }
      const x2 = Math.min(e.x2, got.width);
      const y2 = Math.min(e.y2, got.height);
      if (x2 !== e.x2 || y2 !== e.y2) summary.clipped++;
      await writers[summary.written % writers.length].write(encodeFaceRecord({ jpeg: got.jpeg, label: e.label, x1: e.x1, y1: e.y1, x2, y2 }));
      summary.written++;
      labels.add(e.label);
      if (e.label > summary.maxLabel) summary.maxLabel = e.label;
    }
    for (const w of writers) await w.close();
  } catch (err) {
    await Promise.all(writers.map((w) => w.abort()));
    throw err;
  }
  summary.numClasses = summary.maxLabel + 1;
  summary.distinctLabels = labels.size;
  return summary;
}
