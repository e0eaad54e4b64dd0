/**
 * `generate-bbox`: image lists from the landmark / box files of Trillion Pairs, VGGFace2 and RFW,
 * following the Python FFEM original (github.com/shi510/ffem, `generate_bbox/trillion_pairs.py`,
 * `rfw.py`, `vggface.py`):
 * - trillion_pairs: lines `path identity x1 y1 ... x5 y5` (space separated);
 *   rfw: the same, tab separated, a leading '/' dropped from the path;
 *   the box comes from the five points by `boxFromLandmarks` (the original's `rect_from_landmark`).
 * - vggface: VGGFace2's `loose_bb_*.csv` (`NAME_ID,X,Y,W,H`), identity = NAME_ID's folder.
 * - labels: identities numbered 0, 1, ... in order of first appearance.
 *
 * Where we differ, on purpose: VGGFace2 boxes are written as right/bottom = X+W / Y+H (the
 * original wrote W and H as x2 and y2, contradicting its own [left, top, right, bottom] format), and
 * its NAME_ID gets the `.jpg` the image files have. Coordinates below 0 are clamped to 0 and counted
 * (an image list holds no negative values); a line whose box is empty after that is skipped.
 */
import * as fs from 'fs';
import * as readline from 'readline';
import { type ImageListEntry, writeImageList } from './image-list';

export const BBOX_DATASETS = ['trillion_pairs', 'vggface', 'rfw'] as const;
export type BboxDataset = (typeof BBOX_DATASETS)[number];

export interface GenerateBboxSummary {
  output: string;
  /** Entries written (a path listed twice keeps its first place and its last box, as a Python dict). */
  entries: number;
  identities: number;
  lines: number;
  /** Entries with a coordinate clamped to 0. */
  clamped: number;
  skipped: Array<{ line: number; reason: string }>;
}

/**
 * The original's `rect_from_landmark`: the 5 points' extremes widened by 1/1.5 of the box size on
 * each side, then shifted sideways for yaw by the eye-to-nose distance ratio, truncated to integers
 * (numpy's float -> int32 cast). Points: left eye, right eye, nose, left mouth, right mouth as
 * `[x1, y1, ..., x5, y5]`. May return negative values.
 */
export function boxFromLandmarks(p: readonly number[]): [number, number, number, number] {
  if (p.length !== 10) throw new Error(`expected 10 landmark values, got ${p.length}`);
  const xs = [p[0], p[2], p[4], p[6], p[8]];
  const ys = [p[1], p[3], p[5], p[7], p[9]];
  let minX = Math.min(...xs);
  let maxX = Math.max(...xs);
  let minY = Math.min(...ys);
  let maxY = Math.max(...ys);
  const width = (maxX - minX) / 1.5;
  const height = (maxY - minY) / 1.5;
  minX -= width;
  maxX += width;
  minY -= height;
  maxY += height;
  // Adjust the box of a face turned about the yaw axis.
  const left = Math.hypot(p[0] - p[4], p[1] - p[5]);
  const right = Math.hypot(p[2] - p[4], p[3] - p[5]);
  // (Both distances 0 -- eyes on the nose -- would be 0/0 in the original; no shift here.)
  const shift = left - right > 0 ? -(1 - right / left) * 1.2 : right > 0 ? (1 - left / right) * 1.2 : 0;
  minX += width * shift;
  maxX += width * shift;
  return [Math.trunc(minX), Math.trunc(minY), Math.trunc(maxX), Math.trunc(maxY)];
}

interface RawBox {
  path: string;
  identity: string;
  box: [number, number, number, number];
}

function parseNumber(s: string, file: string, line: number, what: string): number {
  const v = Number(s);
  if (s.trim() === '' || !Number.isFinite(v)) throw new Error(`${file}: line ${line}: ${what}: not a number: ${JSON.stringify(s)}`);
  return v;
}

function parseLandmarkLine(text: string, sep: RegExp, file: string, line: number, dropLeadingSlash: boolean): RawBox {
  const f = text.trim().split(sep);
  if (f.length !== 12) throw new Error(`${file}: line ${line}: expected path, identity and 10 landmark values, got ${f.length} fields`);
  const pts = f.slice(2).map((s, i) => parseNumber(s, file, line, `landmark ${i}`));
  const path = dropLeadingSlash && f[0].startsWith('/') ? f[0].slice(1) : f[0];
  return { path, identity: f[1], box: boxFromLandmarks(pts) };
}

function parseVggLine(text: string, cols: Record<string, number>, file: string, line: number): RawBox {
  const f = text.trim().split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
  const get = (k: string) => f[cols[k]];
  const nameId = get('NAME_ID');
  if (!nameId) throw new Error(`${file}: line ${line}: NAME_ID: missing`);
  const [x, y, w, h] = ['X', 'Y', 'W', 'H'].map((k) => parseNumber(get(k) ?? '', file, line, k));
  const path = /\.[a-z]{3,4}$/i.test(nameId) ? nameId : `${nameId}.jpg`;
  return { path, identity: nameId.split('/')[0], box: [Math.trunc(x), Math.trunc(y), Math.trunc(x + w), Math.trunc(y + h)] };
}

/** Reads a landmark / box file of `dataset` and writes `output` (an image list) atomically. */
export async function generateBbox(
  dataset: BboxDataset,
  lndmkFile: string,
  output: string,
  onProgress?: (lines: number) => void,
): Promise<GenerateBboxSummary> {
  if (!BBOX_DATASETS.includes(dataset)) throw new Error(`generate-bbox: unknown dataset '${dataset}', expected one of ${BBOX_DATASETS.join(', ')}`);
  const rl = readline.createInterface({ input: fs.createReadStream(lndmkFile, 'utf8'), crlfDelay: Infinity });
  const entries = new Map<string, ImageListEntry>();
  const labels = new Map<string, number>();
  const summary: GenerateBboxSummary = { output, entries: 0, identities: 0, lines: 0, clamped: 0, skipped: [] };
  let cols: Record<string, number> | null = null;
  let n = 0;
  for await (const text of rl) {
    n++;
    if (text.trim() === '') continue;
    let raw: RawBox;
    if (dataset === 'vggface') {
      if (!cols) {
        const names = text.trim().split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
        cols = Object.fromEntries(names.map((c, i) => [c, i]));
        for (const k of ['NAME_ID', 'X', 'Y', 'W', 'H']) {
          if (!(k in cols)) throw new Error(`${lndmkFile}: line ${n}: header has no column ${k} (got ${names.join(',')})`);
        }
        continue;
      }
      raw = parseVggLine(text, cols, lndmkFile, n);
    } else {
      raw = parseLandmarkLine(text, dataset === 'rfw' ? /\t/ : /\s+/, lndmkFile, n, dataset === 'rfw');
    }
    summary.lines++;
    onProgress?.(summary.lines);
    const b = raw.box;
    const c = b.map((v) => Math.max(0, v));
    if (!c.every(Number.isFinite) || c[2] <= c[0] || c[3] <= c[1]) {
      summary.skipped.push({ line: n, reason: `empty box [${b.join(', ')}] for ${raw.path}` });
      continue;
    }
    if (c.some((v, i) => v !== b[i])) summary.clamped++;
    let label = labels.get(raw.identity);
    if (label === undefined) {
      label = labels.size;
      labels.set(raw.identity, label);
    }
    entries.set(raw.path, { path: raw.path, label, x1: c[0], y1: c[1], x2: c[2], y2: c[3] });
  }
  if (dataset === 'vggface' && !cols) throw new Error(`${lndmkFile}: empty file (expected a NAME_ID,X,Y,W,H header)`);
  await writeImageList(output, entries.values());
  summary.entries = entries.size;
  summary.identities = labels.size;
  return summary;
}
