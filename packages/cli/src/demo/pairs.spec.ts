import { parsePairs } from '@ffem/evaluate';
import { makePairs } from './pairs';
import type { ImageList } from './split';

function list(people: Record<string, number>): ImageList {
  const out: ImageList = {};
  Object.entries(people).forEach(([name, n], label) => {
    for (let i = 1; i <= n; i++) out[`${name}/${name}_${String(i).padStart(4, '0')}.jpg`] = { label, x1: 0, y1: 0, x2: 10, y2: 10 };
  });
  return out;
}

describe('makePairs', () => {
  const people = list({ Ann_A: 4, Bob_B: 3, Cid_C: 5, Dee_D: 2 });

  it('writes an LFW View-2 style file that the evaluator parses, with real images on every line', () => {
    const p = makePairs(people, { seed: 1, folds: 5, maxPerFold: 3 })!;
    expect(p.folds).toBe(5);
    expect(p.perFold).toBe(3);
    expect(p.text.split('\n')[0]).toBe('5\t3');
    const pairs = parsePairs(p.text, 'demo-pairs');
    expect(pairs).toHaveLength(5 * 2 * 3);
    const keys = new Set(Object.keys(people));
    const labelOf = (k: string) => people[k].label;
    for (const pair of pairs) {
      expect(keys.has(pair.a) && keys.has(pair.b)).toBe(true);
      expect(labelOf(pair.a) === labelOf(pair.b)).toBe(pair.same);
      expect(pair.a).not.toBe(pair.b);
    }
    expect(pairs.map((x) => x.fold)).toEqual([0, 1, 2, 3, 4].flatMap((f) => Array(6).fill(f)));
  });

  it('uses each matched pair at most once', () => {
    // 6 + 3 + 10 + 1 = 20 matched pairs: 10 folds of 2.
    const p = makePairs(people, { seed: 2, folds: 10, maxPerFold: 30 })!;
    expect(p.perFold).toBe(2);
    const matched = parsePairs(p.text).filter((x) => x.same).map((x) => `${x.a} ${x.b}`);
    expect(new Set(matched).size).toBe(20);
  });

  it('counts images not named as LFW names them, and gives null when too few pairs remain', () => {
    const odd: ImageList = { ...list({ Ann_A: 2 }), 'x/other.jpg': { label: 1, x1: 0, y1: 0, x2: 5, y2: 5 } };
    expect(makePairs(odd, { seed: 0 })).toBeNull();
    const p = makePairs({ ...people, 'x/other.jpg': { label: 9, x1: 0, y1: 0, x2: 5, y2: 5 } }, { seed: 0, folds: 2 })!;
    expect(p.unnamed).toBe(1);
  });

  it('is deterministic for a seed', () => {
    expect(makePairs(people, { seed: 5, folds: 4 })!.text).toBe(makePairs(people, { seed: 5, folds: 4 })!.text);
  });
});
