/**
 * Colour transforms on HWC RGB float images in place, as TensorFlow's `adjust_hue`,
 * `adjust_brightness`, `adjust_contrast` (float32 input, values in [0, 1]; no clipping here:
 * the training transform clips afterwards, like the original).
 * Checked ad hoc against TensorFlow 2.20 on a random 6x7x3 image: adjustHue identical for deltas
 * 0.05, -0.1, 0.37, -0.8; contrast and brightness within 1.2e-7 (summation order of the mean).
 */

const f32 = Math.fround;

/**
 * `tf.image.adjust_hue(x, delta)`, following TensorFlow's CPU kernel (adjust_hue_op.cc): the hue
 * is kept as h in [0, 6) between min and max of the pixel, shifted by 6 * delta and wrapped.
 */
export function adjustHue(img: Float32Array, delta: number): void {
  const dh = f32(delta * 6);
  for (let i = 0; i < img.length; i += 3) {
    const r = img[i];
    const g = img[i + 1];
    const b = img[i + 2];
    let vMax: number, vMid: number, vMin: number, cat: number;
    if (r < g) {
      if (b < r) (vMax = g), (vMid = r), (vMin = b), (cat = 1);
      else if (b > g) (vMax = b), (vMid = g), (vMin = r), (cat = 3);
      else (vMax = g), (vMid = b), (vMin = r), (cat = 2);
    } else {
      if (b < g) (vMax = r), (vMid = g), (vMin = b), (cat = 0);
      else if (b > r) (vMax = b), (vMid = r), (vMin = g), (cat = 4);
      else (vMax = r), (vMid = b), (vMin = g), (cat = 5);
    }
    if (vMax === vMin) continue; // grey: hue undefined, unchanged
    const ratio = f32(f32(vMid - vMin) / f32(vMax - vMin));
    let h = f32(cat + ((cat & 1) === 0 ? ratio : f32(1 - ratio)));
    h = f32(h + dh);
    while (h < 0) h = f32(h + 6);
    while (h >= 6) h = f32(h - 6);
    const c2 = Math.trunc(h);
    let t = f32(h - c2);
    if ((c2 & 1) !== 0) t = f32(1 - t);
    const mid = f32(vMin + f32(t * f32(vMax - vMin)));
    switch (c2) {
      case 0: img[i] = vMax; img[i + 1] = mid; img[i + 2] = vMin; break;
      case 1: img[i] = mid; img[i + 1] = vMax; img[i + 2] = vMin; break;
      case 2: img[i] = vMin; img[i + 1] = vMax; img[i + 2] = mid; break;
      case 3: img[i] = vMin; img[i + 1] = mid; img[i + 2] = vMax; break;
      case 4: img[i] = mid; img[i + 1] = vMin; img[i + 2] = vMax; break;
      default: img[i] = vMax; img[i + 1] = vMin; img[i + 2] = mid;
    }
  }
}

/** `tf.image.adjust_brightness(x, delta)`: x + delta. */
export function adjustBrightness(img: Float32Array, delta: number): void {
  for (let i = 0; i < img.length; i++) img[i] += delta;
}

/** `tf.image.adjust_contrast(x, factor)`: (x - mean) * factor + mean, mean per channel over the image. */
export function adjustContrast(img: Float32Array, factor: number, channels = 3): void {
  const n = img.length / channels;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let i = c; i < img.length; i += channels) sum += img[i];
    const mean = sum / n;
    for (let i = c; i < img.length; i += channels) img[i] = (img[i] - mean) * factor + mean;
  }
}

/** Clips every value to [lo, hi] in place (`tf.clip_by_value`). */
export function clipValues(img: Float32Array, lo = 0, hi = 1): void {
  for (let i = 0; i < img.length; i++) img[i] = Math.min(hi, Math.max(lo, img[i]));
}
