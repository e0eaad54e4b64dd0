import { cutout } from './cutout';

function mask(img: Float32Array, h: number, w: number): string[] {
  const rows: string[] = [];
  for (let y = 0; y < h; y++) {
    let s = '';
    for (let x = 0; x < w; x++) s += img[y * w + x] === 9 ? '#' : '.';
    rows.push(s);
  }
  return rows;
}

describe('cutout (tfa semantics)', () => {
  it('fills rows/cols [c - size/2, c + size/2), clipped to the image', () => {
    const img = new Float32Array(36);
    cutout(img, 6, 6, 3, 2, 4, 9, 1);
    expect(mask(img, 6, 6)).toEqual(['......', '####..', '####..', '####..', '####..', '......']);
    const edge = new Float32Array(36);
    cutout(edge, 6, 6, 0, 5, 4, 9, 1);
    expect(mask(edge, 6, 6)).toEqual(['...###', '...###', '......', '......', '......', '......']);
  });

  it('size 0 changes nothing and all channels of a pixel are filled', () => {
    const img = new Float32Array(12);
    cutout(img, 2, 2, 1, 1, 0, 9);
    expect(Array.from(img).every((v) => v === 0)).toBe(true);
    cutout(img, 2, 2, 1, 1, 2, 9);
    expect(Array.from(img)).toEqual([9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9]);
  });
});
