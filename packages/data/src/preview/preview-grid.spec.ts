import * as path from 'path';
import sharp from 'sharp';
import { sharedData } from '@ffem/testing';
import { loadFaceCrop } from '../face-transform';
import { lfwRecords, tempDir, writeFaceShard } from '../pipeline/test-shards';
import { renderPreviewGrid } from './preview-grid';

describe('renderPreviewGrid', () => {
  const records = lfwRecords(sharedData('lfw-deepfunneled-dev'), 5).map((r, i) => ({ ...r, label: 100 + i }));
  let file: string;
  beforeAll(async () => {
    file = path.join(tempDir('ffem-preview-'), 'p.tfrecord');
    await writeFaceShard(file, records);
  });

  it('tiles the first records with their labels; each tile is the test-transform crop', async () => {
    const g = await renderPreviewGrid(file, { count: 64, height: 24, width: 20 });
    expect(g).toMatchObject({ count: 5, columns: 3, rows: 2, labels: [100, 101, 102, 103, 104] });
    const { data, info } = await sharp(g.png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([3 * g.cell.width + 2, 2 * g.cell.height + 2]);
    // tile 4 (row 1, column 1) starts at (2 + cell.width, 2 + cell.height)
    const want = await loadFaceCrop(records[4].jpeg, records[4], 24, 20);
    const x0 = 2 + g.cell.width;
    const y0 = 2 + g.cell.height;
    for (const [y, x] of [[0, 0], [12, 10], [23, 19]]) {
      for (let c = 0; c < 3; c++) {
        expect(data[((y0 + y) * info.width + x0 + x) * info.channels + c]).toBe(Math.round(want[(y * 20 + x) * 3 + c] * 255));
      }
    }
    // the label strip under tile 0 has white pixels (the digits), the gap between cells does not
    let white = 0;
    for (let y = 2 + 24; y < 2 + g.cell.height - 2; y++)
      for (let x = 2; x < 2 + 20; x++) if (data[(y * info.width + x) * info.channels] === 255) white++;
    expect(white).toBeGreaterThan(20);
  });

  it('with augment shows a different picture, reproducibly for a seed', async () => {
    const plain = await renderPreviewGrid(file, { count: 2, height: 16, width: 16 });
    const a = await renderPreviewGrid(file, { count: 2, height: 16, width: 16, augment: true, seed: 3 });
    const b = await renderPreviewGrid(file, { count: 2, height: 16, width: 16, augment: true, seed: 3 });
    expect(a.png.equals(b.png)).toBe(true);
    expect(a.png.equals(plain.png)).toBe(false);
  });

  it("mode 'boxes' shows the whole image with its face box outlined in green", async () => {
    // 250x250 fitted into 125x125: pixel p lands at p * 124 / 249, so the box [68, 182] -> [34, 91]
    const g = await renderPreviewGrid(file, { count: 1, height: 125, width: 125, mode: 'boxes' });
    expect(g).toMatchObject({ count: 1, labels: [100] });
    const { data, info } = await sharp(g.png).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => Array.from(data.subarray(((2 + y) * info.width + 2 + x) * 3, ((2 + y) * info.width + 2 + x) * 3 + 3));
    for (const [x, y] of [[34, 34], [91, 91], [34, 60], [91, 60], [60, 34], [60, 91]]) expect(at(x, y)).toEqual([0, 255, 0]);
    for (const [x, y] of [[33, 60], [35, 60], [60, 60], [92, 60]]) expect(at(x, y)).not.toEqual([0, 255, 0]);
  });
});
