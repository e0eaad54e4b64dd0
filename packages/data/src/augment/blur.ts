/**
 * 5x5 blurs of HWC float images as in tensorflow_addons (`gaussian_filter2d(x, [5, 5], sigma,
 * 'REFLECT')`, `median_filter2d(x, [5, 5], 'REFLECT')`): REFLECT padding mirrors without
 * repeating the edge (index -1 -> 1, H -> H - 2). Return a new array.
 */

/** Mirror index for REFLECT padding (needs n >= 3 for a radius of 2). */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
  return i;
}

/** Normalised 1-D gaussian taps exp(-x^2 / (2 sigma^2)) for x = -r..r. */
export function gaussianKernel(size: number, sigma: number): Float64Array {
  const r = (size - 1) / 2;
  const k = new Float64Array(size);
  let s = 0;
  for (let i = 0; i < size; i++) {
    k[i] = Math.exp(-((i - r) ** 2) / (2 * sigma * sigma));
    s += k[i];
  }
  for (let i = 0; i < size; i++) k[i] /= s;
  return k;
}

/** Separable 5x5 gaussian (the 2-D kernel is the outer product of the 1-D taps). */
export function gaussianBlur5(img: Float32Array, height: number, width: number, sigma: number, channels = 3): Float32Array {
  const k = gaussianKernel(5, sigma);
  const tmp = new Float64Array(img.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let t = -2; t <= 2; t++) s += k[t + 2] * img[(y * width + reflect(x + t, width)) * channels + c];
        tmp[(y * width + x) * channels + c] = s;
      }
    }
  }
  const out = new Float32Array(img.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let t = -2; t <= 2; t++) s += k[t + 2] * tmp[(reflect(y + t, height) * width + x) * channels + c];
        out[(y * width + x) * channels + c] = s;
      }
    }
  }
  return out;
}

/** 5x5 median (the 13th of 25 sorted values). */
export function medianBlur5(img: Float32Array, height: number, width: number, channels = 3): Float32Array {
  const out = new Float32Array(img.length);
  const win = new Float32Array(25);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let n = 0;
        for (let dy = -2; dy <= 2; dy++) {
          const row = reflect(y + dy, height) * width;
          for (let dx = -2; dx <= 2; dx++) win[n++] = img[(row + reflect(x + dx, width)) * channels + c];
        }
        win.sort();
        out[(y * width + x) * channels + c] = win[12];
      }
    }
  }
  return out;
}
