/**
 * Cutout as `tfa.image.cutout`/`random_cutout`: a size x size square (size even) centred at
 * (cy, cx) covers rows [cy - size/2, cy + size/2) and the same columns, clipped to the image,
 * and is set to a constant. random_cutout draws the centre uniformly from [0, H) x [0, W).
 */
export function cutout(
  img: Float32Array,
  height: number,
  width: number,
  cy: number,
  cx: number,
  size: number,
  fill: number,
  channels = 3,
): void {
  const half = Math.floor(size / 2);
  const y0 = Math.max(0, cy - half);
  const y1 = Math.min(height, cy + half);
  const x0 = Math.max(0, cx - half);
  const x1 = Math.min(width, cx + half);
  for (let y = y0; y < y1; y++) {
    img.fill(fill, (y * width + x0) * channels, (y * width + x1) * channels);
  }
}
