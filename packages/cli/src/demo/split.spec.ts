import { formatImageList } from '@ffem/data';
import { listEntries, splitByIdentity, type ImageList } from './split';

function list(counts: number[]): ImageList {
  const out: ImageList = {};
  counts.forEach((n, label) => {
    for (let i = 1; i <= n; i++) out[`p${label}/p${label}_${String(i).padStart(4, '0')}.jpg`] = { label, x1: 0, y1: 0, x2: 10, y2: 10 };
  });
  return out;
}

const originalLabel = (key: string) => Number(key.slice(1, key.indexOf('/')));

describe('splitByIdentity', () => {
  const all = list([5, 1, 4, 3, 2, 6, 2, 3, 4, 5]);

  it('puts no identity in both parts and keeps every image of a kept identity', () => {
    const s = splitByIdentity(all, { testFraction: 0.3, minImages: 2, seed: 7 });
    const trainIds = new Set(Object.keys(s.train.list).map(originalLabel));
    const testIds = new Set(Object.keys(s.test.list).map(originalLabel));
    for (const id of testIds) expect(trainIds.has(id)).toBe(false);
    // Identity 1 has a single image: left out by minImages 2.
    expect(trainIds.has(1) || testIds.has(1)).toBe(false);
    expect(s.droppedIdentities).toBe(1);
    expect(trainIds.size + testIds.size).toBe(9);
    expect(testIds.size).toBe(3); // round(9 * 0.3)
    expect(s.train.images + s.test.images).toBe(Object.keys(all).length - 1);
  });

  it('renumbers each part 0..n-1 in the order of the original labels', () => {
    const s = splitByIdentity(all, { testFraction: 0.3, seed: 7 });
    for (const p of [s.train, s.test]) {
      const labels = [...new Set(Object.values(p.list).map((e) => e.label))].sort((a, b) => a - b);
      expect(labels).toEqual([...Array(p.identities).keys()]);
      for (const [key, e] of Object.entries(p.list)) expect(p.originalLabels[e.label]).toBe(originalLabel(key));
      expect([...p.originalLabels]).toEqual([...p.originalLabels].sort((a, b) => a - b));
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = splitByIdentity(all, { testFraction: 0.3, seed: 1 });
    const b = splitByIdentity(all, { testFraction: 0.3, seed: 1 });
    expect(Object.keys(a.test.list)).toEqual(Object.keys(b.test.list));
    const tests = new Set([0, 1, 2, 3, 4, 5].map((seed) => splitByIdentity(all, { testFraction: 0.3, seed }).test.originalLabels.join(',')));
    expect(tests.size).toBeGreaterThan(1);
  });

  it('caps identities and images per identity', () => {
    const s = splitByIdentity(all, { testFraction: 0.25, maxIdentities: 4, maxImagesPerIdentity: 2, minImages: 2, seed: 3 });
    expect(s.train.identities + s.test.identities).toBe(4);
    for (const p of [s.train, s.test]) expect(p.images).toBe(p.identities * 2);
  });

  it('fails naming the problem when too few identities qualify', () => {
    expect(() => splitByIdentity(list([3, 1, 1, 4]), { testFraction: 0.5, minImages: 3, seed: 0 })).toThrow(/only 2 identities with at least 3 images/);
  });
});

describe('listEntries', () => {
  it("gives @ffem/data's image-list writer the label and box of each entry, in file order", () => {
    const l = { 'z/b.jpg': { label: 1, x1: 2, y1: 3, x2: 9, y2: 8, extra: 5 }, 'a/c.jpg': { label: 0, x1: 0, y1: 1, x2: 4, y2: 6 } } as ImageList;
    const back = JSON.parse(formatImageList(listEntries(l))) as ImageList;
    expect(Object.keys(back)).toEqual(['z/b.jpg', 'a/c.jpg']);
    expect(back).toEqual({ 'z/b.jpg': { label: 1, x1: 2, y1: 3, x2: 9, y2: 8 }, 'a/c.jpg': { label: 0, x1: 0, y1: 1, x2: 4, y2: 6 } });
  });
});
