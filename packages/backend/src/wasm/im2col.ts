/**
 * im2col and col2im for NHWC convolutions on a float32 heap. Column matrix layout:
 * rows = output pixels (n, oh, ow), columns = (kh, kw, c) — the order of a tfjs filter's first
 * three axes, so `cols @ filter.reshape([kH*kW*inC, outC])` is the forward convolution.
 * On the native kernels (native/kernels.c: the same loops, memcpy runs, all cores) where they
 * are loaded; in JS otherwise.
 */
import type { ConvGeometry } from './conv-geometry';
import { nativeKernels } from './native';

function nativeArgs(heap: Float32Array, a: number, b: number, g: ConvGeometry): Parameters<NonNullable<ReturnType<typeof nativeKernels>>['im2col']> {
  const { n, inH, inW, inC, outH, outW, kH, kW, strideH, strideW, padTop, padLeft } = g;
  return [new Uint8Array(heap.buffer, heap.byteOffset, heap.byteLength), 4 * a, 4 * b, n, inH, inW, inC, outH, outW, kH, kW, strideH, strideW, padTop, padLeft];
}

/** Writes the `[n*outH*outW, kH*kW*inC]` column matrix of the input at `x` to `cols`. */
export function im2col(heap: Float32Array, x: number, cols: number, g: ConvGeometry): void {
  const k = nativeKernels();
  if (k) return k.im2col(...nativeArgs(heap, x, cols, g));
  const { n, inH, inW, inC, outH, outW, kH, kW, strideH, strideW, padTop, padLeft } = g;
  const rowLen = kH * kW * inC;
  const seg = kW * inC;
  let dst = cols;
  for (let b = 0; b < n; b++) {
    const xb = x + b * inH * inW * inC;
    for (let oh = 0; oh < outH; oh++) {
      const ih0 = oh * strideH - padTop;
      for (let ow = 0; ow < outW; ow++) {
        const iw0 = ow * strideW - padLeft;
        // Columns of the filter window that fall inside the image: [kw0, kw1).
        const kw0 = iw0 < 0 ? -iw0 : 0;
        const kw1 = Math.min(kW, inW - iw0);
        for (let kh = 0; kh < kH; kh++) {
          const ih = ih0 + kh;
          const d = dst + kh * seg;
          if (ih < 0 || ih >= inH || kw1 <= kw0) {
            heap.fill(0, d, d + seg);
            continue;
          }
          if (kw0 > 0) heap.fill(0, d, d + kw0 * inC);
          const s = xb + (ih * inW + iw0 + kw0) * inC;
          const len = (kw1 - kw0) * inC;
          if (len >= 32) heap.copyWithin(d + kw0 * inC, s, s + len);
          else for (let i = 0, o = d + kw0 * inC; i < len; i++) heap[o + i] = heap[s + i];
          if (kw1 < kW) heap.fill(0, d + kw1 * inC, d + seg);
        }
        dst += rowLen;
      }
    }
  }
}

/** Writes to `dx` the sum of the column matrix at `cols` over the image positions it came from. */
export function col2im(heap: Float32Array, cols: number, dx: number, g: ConvGeometry): void {
  const k = nativeKernels();
  if (k) return k.col2im(...nativeArgs(heap, dx, cols, g));
  const { n, inH, inW, inC, outH, outW, kH, kW, strideH, strideW, padTop, padLeft } = g;
  heap.fill(0, dx, dx + n * inH * inW * inC);
  const rowLen = kH * kW * inC;
  let src = cols;
  for (let b = 0; b < n; b++) {
    const xb = dx + b * inH * inW * inC;
    for (let oh = 0; oh < outH; oh++) {
      const ih0 = oh * strideH - padTop;
      for (let ow = 0; ow < outW; ow++) {
        const iw0 = ow * strideW - padLeft;
        const kw0 = iw0 < 0 ? -iw0 : 0;
        const kw1 = Math.min(kW, inW - iw0);
        for (let kh = 0; kh < kH; kh++) {
          const ih = ih0 + kh;
          if (ih < 0 || ih >= inH || kw1 <= kw0) continue;
          const s = src + (kh * kW + kw0) * inC;
          const d = xb + (ih * inW + iw0 + kw0) * inC;
          const len = (kw1 - kw0) * inC;
          for (let i = 0; i < len; i++) heap[d + i] += heap[s + i];
        }
        src += rowLen;
      }
    }
  }
}
