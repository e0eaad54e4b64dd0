/**
 * Checkpoints that describe themselves: one folder holding `checkpoint.json` (step, epoch, data
 * position, RNG and schedule state, the resolved config, library versions, and a manifest of the
 * tensors) and `weights.bin` (the tensors' raw little-endian bytes: model weights, head variables,
 * optimizer state). Written atomically: into `<name>.tmp-<pid>`, fsynced, then renamed. A run's
 * `checkpoints/` folder keeps the folders that the pointer files `latest.json` and `best.json`
 * (also replaced by rename) name, and prunes the rest; a killed process leaves at most an
 * unreferenced `*.tmp-*` folder, removed on the next save.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';

export const CHECKPOINT_FORMAT = 'ffem-ts-checkpoint';
export const CHECKPOINT_VERSION = 1;

export type SavedDtype = 'float32' | 'int32';

/** One tensor's values, copied off the backend. */
export interface SavedTensor {
  name: string;
  shape: number[];
  dtype: SavedDtype;
  data: Float32Array | Int32Array;
}

/** Tensors by group ('model', 'head', 'optimizer', ...). */
export type TensorGroups = Record<string, SavedTensor[]>;

export interface CheckpointData {
  /** JSON-serialisable description and trainer state. */
  meta: Record<string, unknown>;
  tensors: TensorGroups;
}

interface ManifestEntry {
  group: string;
  name: string;
  shape: number[];
  dtype: SavedDtype;
  offset: number;
  byteLength: number;
}

/** Copies tensors (named) off the backend. */
export async function saveTensors(named: { name: string; tensor: tf.Tensor }[]): Promise<SavedTensor[]> {
  const out: SavedTensor[] = [];
  for (const { name, tensor } of named) {
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') {
      throw new Error(`checkpoint: ${name}: dtype ${tensor.dtype} not supported`);
    }
    const data = (await tensor.data()) as Float32Array | Int32Array;
    out.push({ name, shape: [...tensor.shape], dtype: tensor.dtype, data: data.slice() });
  }
  return out;
}

/** A tensor (on the current backend) holding a saved tensor's values. */
export function toTensor(t: SavedTensor): tf.Tensor {
  return tf.tensor(t.data, t.shape, t.dtype);
}

/** The first saved tensor holding NaN or Infinity, or null. */
export function findNonFinite(groups: TensorGroups): string | null {
  for (const [group, list] of Object.entries(groups)) {
    for (const t of list) {
      if (t.dtype !== 'float32') continue;
      for (let i = 0; i < t.data.length; i++) {
        if (!Number.isFinite(t.data[i])) return `${group}/${t.name}[${i}] = ${t.data[i]}`;
      }
    }
  }
  return null;
}

function fsyncPath(p: string): void {
  try {
    const fd = fs.openSync(p, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // fsync of a directory is not supported everywhere; the rename stays atomic regardless.
  }
}

/** Writes `file` and fsyncs it before returning. */
function writeSynced(file: string, data: string | Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes a file atomically: `<file>.tmp-<pid>`, fsync, rename. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeSynced(tmp, data);
  fs.renameSync(tmp, file);
}

/**
 * Writes a checkpoint folder atomically at `dir` (which must not exist). Refuses NaN/Inf weights:
 * a checkpoint is always a state worth going back to.
 */
export function writeCheckpoint(dir: string, data: CheckpointData): void {
  const bad = findNonFinite(data.tensors);
  if (bad) throw new Error(`${dir}: refusing to save a checkpoint with a non-finite value: ${bad}`);
  if (fs.existsSync(dir)) throw new Error(`${dir}: already exists`);
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const manifest: ManifestEntry[] = [];
  let offset = 0;
  for (const [group, list] of Object.entries(data.tensors)) {
    for (const t of list) {
      manifest.push({ group, name: t.name, shape: t.shape, dtype: t.dtype, offset, byteLength: t.data.byteLength });
      offset += t.data.byteLength;
    }
  }
  // Tensor by tensor, straight from the typed arrays (little-endian on every platform Node runs on).
  const fd = fs.openSync(path.join(tmp, 'weights.bin'), 'w');
  try {
    for (const list of Object.values(data.tensors)) {
      for (const t of list) {
        const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
        for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
      }
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const json = { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, ...data.meta, tensors: manifest };
  writeSynced(path.join(tmp, 'checkpoint.json'), `${JSON.stringify(json, null, 1)}\n`);
  fsyncPath(tmp);
  fs.renameSync(tmp, dir);
  fsyncPath(path.dirname(dir));
}

/** Reads a checkpoint folder written by `writeCheckpoint`. */
export function readCheckpoint(dir: string): CheckpointData {
  const metaFile = path.join(dir, 'checkpoint.json');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
  } catch (err) {
    throw new Error(`${metaFile}: cannot read checkpoint: ${(err as Error).message}`);
  }
  if (json.format !== CHECKPOINT_FORMAT) throw new Error(`${metaFile}: format: expected '${CHECKPOINT_FORMAT}', got '${String(json.format)}'`);
  if (json.version !== CHECKPOINT_VERSION) throw new Error(`${metaFile}: version: expected ${CHECKPOINT_VERSION}, got ${String(json.version)}`);
  const binFile = path.join(dir, 'weights.bin');
  const bin = fs.readFileSync(binFile);
  const tensors: TensorGroups = {};
  const manifest = json.tensors as ManifestEntry[];
  for (const e of manifest) {
    if (e.offset + e.byteLength > bin.length) throw new Error(`${binFile}: offset ${e.offset}: tensor ${e.group}/${e.name} runs past the end`);
    // A view when 4-byte aligned (it is for files this module writes), else a copy.
    const at = bin.byteOffset + e.offset;
    const buf = at % 4 === 0 ? bin.buffer : new Uint8Array(bin.subarray(e.offset, e.offset + e.byteLength)).buffer;
    const start = at % 4 === 0 ? at : 0;
    const data = e.dtype === 'int32' ? new Int32Array(buf, start, e.byteLength / 4) : new Float32Array(buf, start, e.byteLength / 4);
    const expected = e.shape.reduce((a, b) => a * b, 1);
    if (data.length !== expected) throw new Error(`${binFile}: tensor ${e.group}/${e.name}: ${data.length} values for shape [${e.shape}]`);
    (tensors[e.group] ??= []).push({ name: e.name, shape: e.shape, dtype: e.dtype, data });
  }
  const { tensors: _manifest, format: _f, version: _v, ...meta } = json;
  return { meta, tensors };
}

export type CheckpointTag = 'latest' | 'best';

/** The checkpoints of one run: numbered folders plus `latest.json` / `best.json` pointers. */
export class CheckpointStore {
  constructor(readonly root: string) {}

  private pointerFile(tag: CheckpointTag): string {
    return path.join(this.root, `${tag}.json`);
  }

  /** The folder a pointer names, or null when there is none. */
  resolve(tag: CheckpointTag): string | null {
    const file = this.pointerFile(tag);
    if (!fs.existsSync(file)) return null;
    const { dir } = JSON.parse(fs.readFileSync(file, 'utf8')) as { dir: string };
    const full = path.join(this.root, dir);
    if (!fs.existsSync(full)) throw new Error(`${file}: names ${dir}, which does not exist`);
    return full;
  }

  /** Saves `data` and points each of `tags` at it; removes folders no pointer names any more. */
  save(data: CheckpointData, tags: CheckpointTag[], label: string): string {
    fs.mkdirSync(this.root, { recursive: true });
    const existing = fs.readdirSync(this.root).filter((n) => /^ckpt-\d+/.test(n) && !n.includes('.tmp-'));
    const next = existing.reduce((m, n) => Math.max(m, Number(n.slice(5, 11))), 0) + 1;
    const name = `ckpt-${String(next).padStart(6, '0')}-${label}`;
    const dir = path.join(this.root, name);
    writeCheckpoint(dir, data);
    for (const tag of tags) writeFileAtomic(this.pointerFile(tag), `${JSON.stringify({ dir: name })}\n`);
    this.prune();
    return dir;
  }

  /** Points `tag` at an already saved folder. */
  point(tag: CheckpointTag, dir: string): void {
    writeFileAtomic(this.pointerFile(tag), `${JSON.stringify({ dir: path.basename(dir) })}\n`);
    this.prune();
  }

  private prune(): void {
    const keep = new Set<string>();
    for (const tag of ['latest', 'best'] as const) {
      const d = this.resolve(tag);
      if (d) keep.add(path.basename(d));
    }
    for (const n of fs.readdirSync(this.root)) {
      const stale = n.startsWith('ckpt-') && !keep.has(n);
      const leftover = /\.tmp-\d+$/.test(n);
      if (stale || leftover) fs.rmSync(path.join(this.root, n), { recursive: true, force: true });
    }
  }
}

/**
 * Finds the checkpoint folder a user named: a checkpoint folder itself, or a `checkpoints/`
 * folder (its `latest`), or a run folder (its `checkpoints/latest`).
 */
export function locateCheckpoint(p: string): string {
  if (fs.existsSync(path.join(p, 'checkpoint.json'))) return p;
  for (const root of [p, path.join(p, 'checkpoints')]) {
    if (fs.existsSync(path.join(root, 'latest.json'))) {
      const dir = new CheckpointStore(root).resolve('latest');
      if (dir) return dir;
    }
  }
  throw new Error(`${p}: no checkpoint here (expected checkpoint.json, latest.json or checkpoints/latest.json)`);
}
