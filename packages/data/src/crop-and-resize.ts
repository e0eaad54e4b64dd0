/**
 * `tf.image.crop_and_resize` (bilinear) for one image and one box, in plain TypeScript.
 *
 * Follows TensorFlow's CPU kernel (tensorflow/core/kernels/image/crop_and_resize_op.cc) step by
 * step, including its float32 arithmetic (every intermediate is rounded with Math.fround), so the
 * result matches TensorFlow bit for bit on the same decoded pixels:
 *   height_scale = crop_h > 1 ? (y2 - y1) * (H - 1) / (crop_h - 1) : 0
 *   in_y = crop_h > 1 ? y1 * (H - 1) + y * height_scale : 0.5 * (y1 + y2) * (H - 1)
 *   a row (or column) whose in_y (in_x) falls outside [0, H - 1] gets the extrapolation value;
 *   otherwise top = floor(in_y), bottom = ceil(in_y), y_lerp = in_y - top (same for x) and
 *   out = top + (bottom - top) * y_lerp with top/bottom interpolated along x first.
 * Boxes are `[y1, x1, y2, x2]` in normalised coordinates (y * (H - 1) is the pixel row); y1 > y2
 * flips the crop, coordinates outside [0, 1] extrapolate.
 */

/** An interleaved (HWC) image. `channels` defaults to 3. */
export interface PixelImage {
  data: Uint8Array | Float32Array;
  width: number;
  height: number;
  channels?: number;
}

/** A box in crop_and_resize's normalised coordinates. */
export interface NormalisedBox {
  y1: number;
  x1: number;
  y2: number;
  x2: number;
}

export interface CropAndResizeOptions {
  /** Value of samples that fall outside the image (TensorFlow's `extrapolation_value`, default 0). */
  extrapolationValue?: number;
  /**
   * Every output value is divided by this (in float32, like the original's `x / 255.`).
   * Default 255 for Uint8Array input (so the output lies in [0, 1]); 1 for Float32Array input,
   * which is taken as already in the output's scale.
   */
  divisor?: number;
  /** Write into this array (length outH * outW * channels) instead of allocating. */
  out?: Float32Array;
}

const f32 = Math.fround;

/** Per output column (or row): source indices and lerp, or -1 when it extrapolates. */
interface Axis {
  lo: Int32Array;
  hi: Int32Array;
  lerp: Float32Array;
}

function axis(n: number, size: number, a: number, b: number): Axis {
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  const lerp = new Float32Array(n);
  const last = size - 1;
  const scale = n > 1 ? f32(f32(f32(b - a) * last) / (n - 1)) : 0;
  for (let i = 0; i < n; i++) {
    const p = n > 1 ? f32(f32(a * last) + f32(i * scale)) : f32(0.5 * f32(a + b) * last);
    if (p < 0 || p > last || Number.isNaN(p)) {
      lo[i] = -1;
      continue;
    }
    lo[i] = Math.floor(p);
    hi[i] = Math.ceil(p);
    lerp[i] = f32(p - lo[i]);
  }
  return { lo, hi, lerp };
}

/**
 * Crops `box` out of `img` and resizes it to outH x outW with TensorFlow's crop_and_resize
 * semantics; returns float32 HWC values divided by `divisor` (see CropAndResizeOptions).
 */
export function cropAndResize(
  img: PixelImage,
  box: NormalisedBox,
  outH: number,
  outW: number,
  opts: CropAndResizeOptions = {},
): Float32Array {
  const { width: W, height: H, data } = img;
  const C = img.channels ?? 3;
  if (!(W > 0 && H > 0) || data.length !== W * H * C) {
    throw new Error(`cropAndResize: image data length ${data.length} does not match ${H}x${W}x${C}`);
  }
  if (!(Number.isInteger(outH) && Number.isInteger(outW) && outH > 0 && outW > 0)) {
    throw new Error(`cropAndResize: output size ${outH}x${outW} must be positive integers`);
  }
  const divisor = opts.divisor ?? (data instanceof Uint8Array ? 255 : 1);
  const extra = f32(f32(opts.extrapolationValue ?? 0) / divisor);
  const out = opts.out ?? new Float32Array(outH * outW * C);
  if (out.length !== outH * outW * C) throw new Error(`cropAndResize: out has length ${out.length}, need ${outH * outW * C}`);

  const ys = axis(outH, H, f32(box.y1), f32(box.y2));
  const xs = axis(outW, W, f32(box.x1), f32(box.x2));
  const rowStride = W * C;
  let o = 0;
  for (let y = 0; y < outH; y++) {
    const top = ys.lo[y];
    if (top < 0) {
      out.fill(extra, o, o + outW * C);
      o += outW * C;
      continue;
    }
    const topRow = top * rowStride;
    const bottomRow = ys.hi[y] * rowStride;
    const yl = ys.lerp[y];
    for (let x = 0; x < outW; x++) {
      const left = xs.lo[x];
      if (left < 0) {
        for (let c = 0; c < C; c++) out[o++] = extra;
        continue;
      }
      const l = left * C;
      const r = xs.hi[x] * C;
      const xl = xs.lerp[x];
      for (let c = 0; c < C; c++) {
        const tl = data[topRow + l + c];
        const tr = data[topRow + r + c];
        const bl = data[bottomRow + l + c];
        const br = data[bottomRow + r + c];
        const t = f32(tl + f32(f32(tr - tl) * xl));
        const b = f32(bl + f32(f32(br - bl) * xl));
        const v = f32(t + f32(f32(b - t) * yl));
        out[o++] = divisor === 1 ? v : f32(v / divisor);
      }
    }
  }
  return out;
}
