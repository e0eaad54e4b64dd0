/**
 * `image_list.json`, the dataset description of the Python FFEM original:
 * `{"rel/path.jpg": {"label": 0, "x1": 9, "y1": 13, "x2": 75, "y2": 100}, ...}`
 * (box = left, top, right, bottom in pixels; labels 0-based integers).
 */
import * as fs from 'fs';

export interface ImageListEntry {
  /** Image path relative to the dataset root. */
  path: string;
  label: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

const INT_KEYS = ['label', 'x1', 'y1', 'x2', 'y2'] as const;
const INT32_MAX = 2 ** 31 - 1;

/**
 * Validates parsed JSON as an image list, in file order (JSON object order; keys that look like
 * array indices, e.g. "12", would come first, as JavaScript orders them). Extra keys in an entry
 * are ignored. Errors name the source, the entry's key and the field.
 */
export function parseImageList(json: unknown, source: string): ImageListEntry[] {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error(`${source}: expected a JSON object mapping image paths to {label, x1, y1, x2, y2}`);
  }
  const out: ImageListEntry[] = [];
  for (const [path, value] of Object.entries(json as Record<string, unknown>)) {
    const where = `${source}: ${JSON.stringify(path)}`;
    if (path.length === 0) throw new Error(`${where}: empty image path`);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(`${where}: expected an object {label, x1, y1, x2, y2}, got ${JSON.stringify(value)}`);
    }
    const v = value as Record<string, unknown>;
    const e: ImageListEntry = { path, label: 0, x1: 0, y1: 0, x2: 0, y2: 0 };
    for (const k of INT_KEYS) {
      const x = v[k];
      if (x === undefined) throw new Error(`${where}: ${k}: missing`);
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > INT32_MAX) {
        throw new Error(`${where}: ${k}: expected a non-negative integer, got ${JSON.stringify(x)}`);
      }
      e[k] = x;
    }
    if (e.x2 <= e.x1) throw new Error(`${where}: x2: must be greater than x1 (${e.x1}), got ${e.x2}`);
    if (e.y2 <= e.y1) throw new Error(`${where}: y2: must be greater than y1 (${e.y1}), got ${e.y2}`);
    out.push(e);
  }
  return out;
}

/** Reads and validates an `image_list.json`; errors name the file and the offending key. */
export async function readImageList(jsonFile: string): Promise<ImageListEntry[]> {
  const text = await fs.promises.readFile(jsonFile, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${jsonFile}: invalid JSON: ${(e as Error).message}`);
  }
  return parseImageList(json, jsonFile);
}

/** The JSON text of an image list: one entry per line, in the given order. */
export function formatImageList(entries: Iterable<ImageListEntry>): string {
  const lines: string[] = [];
  for (const e of entries) {
    lines.push(`  ${JSON.stringify(e.path)}: {"label": ${e.label}, "x1": ${e.x1}, "y1": ${e.y1}, "x2": ${e.x2}, "y2": ${e.y2}}`);
  }
  return lines.length ? `{\n${lines.join(',\n')}\n}\n` : '{}\n';
}

/** Writes an image list atomically (`<file>.tmp-<pid>`, then rename). */
export async function writeImageList(file: string, entries: Iterable<ImageListEntry>): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await fs.promises.writeFile(tmp, formatImageList(entries));
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fs.promises.unlink(tmp).catch(() => undefined);
    throw e;
  }
}
