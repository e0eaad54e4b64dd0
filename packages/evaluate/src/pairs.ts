/**
 * LFW pairs files: a header line `N` (one set: N matched then N mismatched pairs, as
 * pairsDevTrain.txt) or `F N` (View 2: F folds of N matched then N mismatched), then
 * `Name<TAB>i<TAB>j` (matched) or `Name1<TAB>i<TAB>Name2<TAB>j` (mismatched) lines.
 */

export interface Pair {
  /** Image paths relative to the data folder: `Name/Name_0001.jpg`. */
  a: string;
  b: string;
  same: boolean;
  /** The fold the file puts the pair in (View 2 files), null for a single-set file. */
  fold: number | null;
  /** 1-based line number in the file. */
  line: number;
}

/** `Name/Name_<i as 4 digits>.jpg`, LFW's file naming. */
export function lfwImagePath(name: string, i: number): string {
  return `${name}/${name}_${String(i).padStart(4, '0')}.jpg`;
}

function count(field: string, file: string, line: number, what: string): number {
  if (!/^\d+$/.test(field) || Number(field) < 1) throw new Error(`${file}: line ${line}: ${what} '${field}' is not a positive integer`);
  return Number(field);
}

/**
 * Parses a pairs file; fields may be separated by tabs or spaces. Throws
 * `<file>: line L: ...` on a malformed header or line, a matched/mismatched line where the
 * header's layout expects the other kind, or a wrong pair count.
 */
export function parsePairs(text: string, fileForErrors = 'pairs'): Pair[] {
  const lines = text.split(/\r?\n/);
  let h = 0;
  while (h < lines.length && lines[h].trim() === '') h++;
  if (h === lines.length) throw new Error(`${fileForErrors}: empty pairs file`);
  const head = lines[h].trim().split(/\s+/);
  if (head.length > 2) throw new Error(`${fileForErrors}: line ${h + 1}: header must be 'N' or 'FOLDS N', got '${lines[h].trim()}'`);
  const folds = head.length === 2 ? count(head[0], fileForErrors, h + 1, 'fold count') : 1;
  const perSet = count(head[head.length - 1], fileForErrors, h + 1, 'pair count');
  const pairs: Pair[] = [];
  for (let l = h + 1; l < lines.length; l++) {
    const raw = lines[l].trim();
    if (raw === '') continue;
    const line = l + 1;
    const f = raw.split(/\s+/);
    const k = pairs.length;
    const fold = Math.floor(k / (2 * perSet));
    const wantSame = k % (2 * perSet) < perSet;
    if (fold >= folds) throw new Error(`${fileForErrors}: line ${line}: more pairs than the header's ${folds} x 2 x ${perSet}`);
    if (f.length === 3) {
      if (!wantSame) throw new Error(`${fileForErrors}: line ${line}: matched pair where the header's layout expects a mismatched one (pair ${k + 1})`);
      pairs.push({
        a: lfwImagePath(f[0], count(f[1], fileForErrors, line, 'image number')),
        b: lfwImagePath(f[0], count(f[2], fileForErrors, line, 'image number')),
        same: true,
        fold: head.length === 2 ? fold : null,
        line,
      });
    } else if (f.length === 4) {
      if (wantSame) throw new Error(`${fileForErrors}: line ${line}: mismatched pair where the header's layout expects a matched one (pair ${k + 1})`);
      pairs.push({
        a: lfwImagePath(f[0], count(f[1], fileForErrors, line, 'image number')),
        b: lfwImagePath(f[2], count(f[3], fileForErrors, line, 'image number')),
        same: false,
        fold: head.length === 2 ? fold : null,
        line,
      });
    } else {
      throw new Error(`${fileForErrors}: line ${line}: expected 'Name i j' or 'Name1 i Name2 j', got ${f.length} fields`);
    }
  }
  if (pairs.length !== folds * 2 * perSet) {
    throw new Error(`${fileForErrors}: line ${lines.length}: ${pairs.length} pairs, the header promises ${folds} x 2 x ${perSet} = ${folds * 2 * perSet}`);
  }
  return pairs;
}

/** The folds a View 2 file defines (pair indices per fold), or null for a single-set file. */
export function pairFolds(pairs: readonly Pair[]): number[][] | null {
  if (pairs.length === 0 || pairs[0].fold === null) return null;
  const folds: number[][] = [];
  pairs.forEach((p, i) => (folds[p.fold!] ??= []).push(i));
  return folds;
}
