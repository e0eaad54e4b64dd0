import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { generateSynthDataset, renderImage } from './generate';

describe('generateSynthDataset', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-synth-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes every image and an image_list.json in the original format with in-image boxes', async () => {
    const out = path.join(dir, 'a');
    const progress: number[] = [];
    const r = await generateSynthDataset({ out, identities: 3, imagesPerIdentity: 4, size: 96, seed: 7, onProgress: (d) => progress.push(d) });
    expect(r.images).toBe(12);
    expect(progress).toEqual([...Array(12).keys()].map((i) => i + 1));
    const list = JSON.parse(fs.readFileSync(r.imageList, 'utf8')) as Record<string, { label: number; x1: number; y1: number; x2: number; y2: number }>;
    const keys = Object.keys(list);
    expect(keys).toHaveLength(12);
    expect(new Set(keys.map((k) => list[k].label))).toEqual(new Set([0, 1, 2]));
    for (const k of keys) {
      const e = list[k];
      expect(Object.keys(e).sort()).toEqual(['label', 'x1', 'x2', 'y1', 'y2']);
      expect(e.x1).toBeGreaterThanOrEqual(0);
      expect(e.y1).toBeGreaterThanOrEqual(0);
      expect(e.x2).toBeLessThanOrEqual(96);
      expect(e.y2).toBeLessThanOrEqual(96);
      expect(e.x2 - e.x1).toBeGreaterThan(20);
      expect(e.y2 - e.y1).toBeGreaterThan(20);
      const meta = await sharp(path.join(out, k)).metadata();
      expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['jpeg', 96, 96, 3]);
    }
  });

  it('is deterministic in the seed and differs across seeds', async () => {
    const a = await renderImage(3, 1, 2, 64);
    const b = await renderImage(3, 1, 2, 64);
    const c = await renderImage(4, 1, 2, 64);
    expect(Buffer.compare(a.jpeg, b.jpeg)).toBe(0);
    expect(a.box).toEqual(b.box);
    expect(Buffer.compare(a.jpeg, c.jpeg)).not.toBe(0);
  });

  it('keeps an identity recognisable: same-identity images are closer than other identities (pixel space, face crop)', async () => {
    // Mean colour inside the face box is dominated by the identity's skin tone; across many
    // draws, same-identity pairs must be closer on average than different-identity pairs.
    const mean = async (id: number, j: number) => {
      const { jpeg, box } = await renderImage(11, id, j, 96);
      const { data } = await sharp(jpeg)
        .extract({ left: box.x1, top: box.y1, width: box.x2 - box.x1, height: box.y2 - box.y1 })
        .resize(8, 8)
        .raw()
        .toBuffer({ resolveWithObject: true });
      return Float64Array.from(data);
    };
    const dist = (a: Float64Array, b: Float64Array) => Math.hypot(...a.map((v, i) => v - b[i]));
    const feats: Float64Array[][] = [];
    for (let id = 0; id < 6; id++) feats.push(await Promise.all([0, 1, 2].map((j) => mean(id, j))));
    let same = 0;
    let nSame = 0;
    let diff = 0;
    let nDiff = 0;
    for (let a = 0; a < 6; a++)
      for (let b = 0; b < 6; b++)
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 3; j++) {
            if (a === b && i < j) (same += dist(feats[a][i], feats[b][j])), nSame++;
            if (a < b) (diff += dist(feats[a][i], feats[b][j])), nDiff++;
          }
    expect(same / nSame).toBeLessThan(diff / nDiff);
  });

  it('rejects bad counts naming the flag', async () => {
    await expect(generateSynthDataset({ out: path.join(dir, 'b'), identities: 0, imagesPerIdentity: 2 })).rejects.toThrow(/--identities/);
    await expect(generateSynthDataset({ out: path.join(dir, 'b'), identities: 2, imagesPerIdentity: 1.5 })).rejects.toThrow(/--images-per-identity/);
  });
});
