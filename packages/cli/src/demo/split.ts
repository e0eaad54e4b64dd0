/**
 * Identity-disjoint train/test split of an `image_list.json` (the original's format), with the
 * labels of each part renumbered 0..n-1 (what `generate-tfrecord` and `train` expect).
 */
import * as fs from 'fs';
import { Rng, type ImageListEntry } from '@ffem/data';

/** One image's label and box (@ffem/data's entry without its path). */
export type ListEntry = Omit<ImageListEntry, 'path'>;

/** `{ "rel/path.jpg": { label, x1, y1, x2, y2 } }`, in file order. */
export type ImageList = Record<string, ListEntry>;

/** Reads an image list; the entries are checked by `generate-tfrecord`, only the labels here. */
export function readImageListFile(file: string): ImageList {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read the image list: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${file}: expected a JSON object of image entries`);
  for (const [key, e] of Object.entries(json as Record<string, unknown>)) {
    const label = (e as { label?: unknown } | null)?.label;
    if (!Number.isInteger(label)) throw new Error(`${file}: ${key}: label: expected an integer, got ${JSON.stringify(label)}`);
  }
  return json as ImageList;
}

export interface SplitOptions {
  /** Fraction of the kept identities that go to the test part (at least 2 identities do). */
  testFraction: number;
  /** Identities with fewer images are left out (default 2: a test query needs a mate). */
  minImages?: number;
  /** Keep at most this many identities (chosen at random with the seed); default all. */
  maxIdentities?: number;
  /** Keep at most this many images per identity (its first ones in file order); default all. */
  maxImagesPerIdentity?: number;
  seed: number;
}

export interface SplitPart {
  list: ImageList;
  identities: number;
  images: number;
  /** Original label of each new label (index = new label). */
  originalLabels: number[];
}

export interface Split {
  train: SplitPart;
  test: SplitPart;
  /** Identities left out by `minImages` / `maxIdentities`. */
  droppedIdentities: number;
}

function part(list: ImageList, byLabel: Map<number, string[]>, labels: number[]): SplitPart {
  const sorted = [...labels].sort((a, b) => a - b);
  const newLabel = new Map(sorted.map((l, i) => [l, i]));
  const keep = new Set(sorted.flatMap((l) => byLabel.get(l)!));
  const out: ImageList = {};
  // File order, so the TFRecords hold the images in the order the list gives them.
  for (const [key, e] of Object.entries(list)) {
    if (keep.has(key)) out[key] = { ...e, label: newLabel.get(e.label)! };
  }
  return { list: out, identities: sorted.length, images: keep.size, originalLabels: sorted };
}

/**
 * Splits by identity: no identity appears in both parts. Deterministic for a seed. Throws when
 * fewer than 3 identities qualify (one to train on, two to test on).
 */
export function splitByIdentity(list: ImageList, opts: SplitOptions): Split {
  const minImages = opts.minImages ?? 2;
  if (!(opts.testFraction > 0 && opts.testFraction < 1)) throw new Error(`split: testFraction must be in (0, 1), got ${opts.testFraction}`);
  const byLabel = new Map<number, string[]>();
  for (const [key, e] of Object.entries(list)) {
    const keys = byLabel.get(e.label) ?? [];
    keys.push(key);
    byLabel.set(e.label, keys);
  }
  if (opts.maxImagesPerIdentity !== undefined) {
    for (const [l, keys] of byLabel) byLabel.set(l, keys.slice(0, opts.maxImagesPerIdentity));
  }
  const all = [...byLabel.keys()].sort((a, b) => a - b);
  let eligible = all.filter((l) => byLabel.get(l)!.length >= minImages);
  const rng = new Rng(opts.seed);
  for (let i = eligible.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [eligible[i], eligible[j]] = [eligible[j], eligible[i]];
  }
  if (opts.maxIdentities !== undefined) eligible = eligible.slice(0, opts.maxIdentities);
  if (eligible.length < 3) {
    throw new Error(`split: only ${eligible.length} identities with at least ${minImages} images; need 3 or more`);
  }
  const nTest = Math.min(eligible.length - 1, Math.max(2, Math.round(eligible.length * opts.testFraction)));
  return {
    test: part(list, byLabel, eligible.slice(0, nTest)),
    train: part(list, byLabel, eligible.slice(nTest)),
    droppedIdentities: all.length - eligible.length,
  };
}

/** The list as @ffem/data's entries, in file order (for its `writeImageList`). */
export function listEntries(list: ImageList): ImageListEntry[] {
  return Object.entries(list).map(([path, e]) => ({ path, label: e.label, x1: e.x1, y1: e.y1, x2: e.x2, y2: e.y2 }));
}
