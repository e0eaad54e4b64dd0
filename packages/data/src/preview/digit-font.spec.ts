import { drawText, textWidth } from './digit-font';

function ascii(rgb: Uint8Array, w: number, h: number): string[] {
  const rows: string[] = [];
  for (let y = 0; y < h; y++) {
    let s = '';
    for (let x = 0; x < w; x++) s += rgb[(y * w + x) * 3] ? '#' : '.';
    rows.push(s);
  }
  return rows;
}

describe('drawText', () => {
  it('draws digits 3x5 with one column of spacing', () => {
    const w = textWidth('17', 1);
    expect(w).toBe(7);
    const img = new Uint8Array(w * 5 * 3);
    drawText(img, w, 5, 0, 0, '17', 1, [255, 255, 255]);
    expect(ascii(img, w, 5)).toEqual(['.#..###', '##....#', '.#...#.', '.#...#.', '###..#.']);
  });

  it('scales and clips at the border', () => {
    const img = new Uint8Array(4 * 4 * 3);
    drawText(img, 4, 4, 1, 1, '8', 2, [9, 9, 9]);
    // '8' top row 111 scaled 2x from x = 1: columns 1..6, cut at 4
    expect(ascii(img, 4, 4)).toEqual(['....', '.###', '.###', '.##.']);
  });

  it('rejects characters it has no glyph for', () => {
    expect(() => drawText(new Uint8Array(3), 1, 1, 0, 0, 'a', 1, [1, 1, 1])).toThrow(/no glyph for 'a'/);
  });
});
