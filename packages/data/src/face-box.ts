/**
 * The face box of a record, from pixels to crop_and_resize's normalised box, and the original's
 * random box jitter.
 *
 * Conversion as in the Python FFEM (github.com/shi510/ffem, train/input_pipeline.py,
 * `_read_tfrecord` + `_load_and_preprocess_image`): the box is taken as
 * `[y1, x1, y2, x2]` cast to float32 and divided element-wise by `[H, W, H, W]` of the decoded
 * image (not H - 1 / W - 1), without clipping. crop_and_resize then maps y to y * (H - 1).
 */
import type { NormalisedBox } from './crop-and-resize';

/** A face box in pixels: left, top, right, bottom (the TFRecord's x1, y1, x2, y2). */
export interface PixelBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

const f32 = Math.fround;

/** `[y1, x1, y2, x2] / [H, W, H, W]` in float32, like the original. */
export function normaliseBox(box: PixelBox, width: number, height: number): NormalisedBox {
  const h = f32(height);
  const w = f32(width);
  return { y1: f32(f32(box.y1) / h), x1: f32(f32(box.x1) / w), y2: f32(f32(box.y2) / h), x2: f32(f32(box.x2) / w) };
}

function clip01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * The original's `crop_rnd_wrap`: `box += box * scale` with one scale per coordinate
 * (order y1, x1, y2, x2; each drawn from U(-0.1, 0.1) there), then clipped to [0, 1].
 */
export function jitterBox(box: NormalisedBox, scales: readonly [number, number, number, number]): NormalisedBox {
  const j = (v: number, s: number) => clip01(f32(v + f32(v * f32(s))));
  return { y1: j(box.y1, scales[0]), x1: j(box.x1, scales[1]), y2: j(box.y2, scales[2]), x2: j(box.x2, scales[3]) };
}
