/**
 * A 3x5 pixel font for digits and '-', drawn straight into RGB buffers (no font files or SVG text
 * rendering needed, so the output is the same on every machine).
 */
const GLYPHS: Record<string, string> = {
  '0': '111101101101111',
  '1': '010110010010111',
  '2': '111001111100111',
  '3': '111001111001111',
  '4': '101101111001001',
  '5': '111100111001111',
  '6': '111100111101111',
  '7': '111001010010010',
  '8': '111101111101111',
  '9': '111101111001111',
  '-': '000000111000000',
};

export const GLYPH_W = 3;
export const GLYPH_H = 5;

/** Width in pixels of `text` at `scale` (one glyph-pixel of spacing between characters). */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * (GLYPH_W + 1) - 1) * scale;
}

/**
 * Draws `text` (digits and '-') with its top-left corner at (x, y) into an RGB image of width
 * `imgW`, each font pixel a scale x scale square of `color`; pixels outside the image are cut.
 */
export function drawText(
  rgb: Uint8Array,
  imgW: number,
  imgH: number,
  x: number,
  y: number,
  text: string,
  scale: number,
  color: [number, number, number],
): void {
  for (let k = 0; k < text.length; k++) {
    const g = GLYPHS[text[k]];
    if (!g) throw new Error(`drawText: no glyph for '${text[k]}'`);
    const gx = x + k * (GLYPH_W + 1) * scale;
    for (let r = 0; r < GLYPH_H; r++) {
      for (let c = 0; c < GLYPH_W; c++) {
        if (g[r * GLYPH_W + c] !== '1') continue;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const px = gx + c * scale + dx;
            const py = y + r * scale + dy;
            if (px < 0 || py < 0 || px >= imgW || py >= imgH) continue;
            rgb.set(color, (py * imgW + px) * 3);
          }
        }
      }
    }
  }
}
