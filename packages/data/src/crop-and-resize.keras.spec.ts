/**
 * cropAndResize + normaliseBox against TensorFlow (fixture by tools/python/gen_fixtures.py
 * crop-and-resize: `tf.image.crop_and_resize` on a uint8 image with the original FFEM's box
 * normalisation box / [H, W, H, W]), boxes inside, flipped, partly and wholly outside the image.
 */
import * as path from 'path';
import { expectClose, loadFixture } from '@ffem/testing';
import { cropAndResize, type NormalisedBox } from './crop-and-resize';
import { normaliseBox, type PixelBox } from './face-box';

interface CropFixture {
  image: { height: number; width: number; channels: number; values: number[] };
  cases: Array<{ pixelBox: PixelBox; box: NormalisedBox; outH: number; outW: number; output: { shape: number[]; values: number[] } }>;
}

const { data: d, tolerance: tol } = loadFixture<CropFixture>(path.resolve(__dirname, '..', 'fixtures', 'keras', 'crop-and-resize.json'));
const image = { data: Uint8Array.from(d.image.values), width: d.image.width, height: d.image.height, channels: d.image.channels };
const name = (b: PixelBox) => `(${b.x1}, ${b.y1}, ${b.x2}, ${b.y2})`;

describe.each(d.cases.map((c) => [name(c.pixelBox), c] as const))('cropAndResize vs tf.image.crop_and_resize: box %s', (_, c) => {
  it('normalises the pixel box as the original pipeline', () => {
    const b = normaliseBox(c.pixelBox, d.image.width, d.image.height);
    expect(b).toEqual(c.box);
  });

  it('gives the same pixels', () => {
    const out = cropAndResize(image, c.box, c.outH, c.outW, { divisor: 1 });
    expect([c.outH, c.outW, d.image.channels]).toEqual(c.output.shape);
    expectClose(out, c.output.values, tol, `crop ${name(c.pixelBox)}`);
  });

  it('gives the same pixels divided by 255 by default', () => {
    const out = cropAndResize(image, c.box, c.outH, c.outW);
    expectClose(out, c.output.values.map((v) => Math.fround(v / 255)), { atol: 1e-6, rtol: 1e-6 }, `crop ${name(c.pixelBox)} / 255`);
  });
});
