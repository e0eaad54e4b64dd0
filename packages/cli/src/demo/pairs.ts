/**
 * A verification pairs file in LFW's own format for a test image list: `F N` header, then per
 * fold N matched (`Name<TAB>i<TAB>j`) and N mismatched (`Name1<TAB>i<TAB>Name2<TAB>j`) lines, so
 * `ffem evaluate --pairs` reports the LFW protocol's 10-fold figures on it.
 */
import { Rng } from '@ffem/data';
import type { ImageList } from './split';

/** `Name/Name_0001.jpg`: LFW's naming, the only one a pairs file can name. */
const LFW_NAME = /^([^/\s]+)\/\1_(\d{4})\.jpg$/;

export interface PairsOptions {
  /** Folds (default 10, as LFW View 2). */
  folds?: number;
  /** Matched (and as many mismatched) pairs per fold at most (default 30). */
  maxPerFold?: number;
  seed: number;
}

export interface PairsFile {
  text: string;
  folds: number;
  perFold: number;
  /** Images of the list that the pairs file cannot name (not in LFW's naming). */
  unnamed: number;
}

/**
 * Draws matched pairs (two images of one person; each unordered pair at most once) and mismatched
 * pairs (images of two different people) at random with the seed. Returns null when the list
 * yields fewer than one matched pair per fold or fewer than two people.
 */
export function makePairs(list: ImageList, opts: PairsOptions): PairsFile | null {
  const folds = opts.folds ?? 10;
  const maxPerFold = opts.maxPerFold ?? 30;
  const people = new Map<string, number[]>();
  let unnamed = 0;
  for (const key of Object.keys(list)) {
    const m = LFW_NAME.exec(key);
    if (!m) {
      unnamed++;
      continue;
    }
    const nums = people.get(m[1]) ?? [];
    nums.push(Number(m[2]));
    people.set(m[1], nums);
  }
  const names = [...people.keys()].sort();
  const matched: [string, number, number][] = [];
  for (const name of names) {
    const nums = people.get(name)!;
    for (let a = 0; a < nums.length; a++) for (let b = a + 1; b < nums.length; b++) matched.push([name, nums[a], nums[b]]);
  }
  const perFold = Math.min(maxPerFold, Math.floor(matched.length / folds));
  if (perFold < 1 || names.length < 2) return null;
  const rng = new Rng(opts.seed);
  for (let i = matched.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [matched[i], matched[j]] = [matched[j], matched[i]];
  }
  const lines = [`${folds}\t${perFold}`];
  for (let f = 0; f < folds; f++) {
    for (const [name, a, b] of matched.slice(f * perFold, (f + 1) * perFold)) lines.push(`${name}\t${a}\t${b}`);
    for (let k = 0; k < perFold; k++) {
      const i = rng.int(0, names.length);
      let j = rng.int(0, names.length - 1);
      if (j >= i) j++;
      const pick = (n: string) => {
        const nums = people.get(n)!;
        return nums[rng.int(0, nums.length)];
      };
      lines.push(`${names[i]}\t${pick(names[i])}\t${names[j]}\t${pick(names[j])}`);
    }
  }
  return { text: `${lines.join('\n')}\n`, folds, perFold, unnamed };
}
