import { expectClose } from '@ffem/testing';
import { cropAndResize } from './crop-and-resize';

// Hand-computed cases. TensorFlow's rule (crop_and_resize_op.cc): for an output row y of crop_h,
//   in_y = y1 * (H - 1) + y * (y2 - y1) * (H - 1) / (crop_h - 1)    (crop_h > 1)
//   in_y = 0.5 * (y1 + y2) * (H - 1)                                  (crop_h == 1)
// rows with in_y outside [0, H - 1] are the extrapolation value; otherwise bilinear between
// floor(in_y) and ceil(in_y) (columns alike).
// The 3x3 one-channel image g below has g[r][c] = 3r + c, a linear function, so any bilinear
// sample at (in_y, in_x) is exactly 3 * in_y + in_x.
const g = { data: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8]), width: 3, height: 3, channels: 1 };
const tol = { atol: 1e-6, rtol: 0 };

describe('cropAndResize (tf.image.crop_and_resize semantics)', () => {
  it('full box to the same size is the identity', () => {
    // in_y = y * (1 * 2 / 2) = y
    expectClose(cropAndResize(g, { y1: 0, x1: 0, y2: 1, x2: 1 }, 3, 3), g.data, tol);
  });

  it('full box to 2x2 samples the four corners', () => {
    // scale = 1 * 2 / 1 = 2: in = 0, 2
    expectClose(cropAndResize(g, { y1: 0, x1: 0, y2: 1, x2: 1 }, 2, 2), [0, 2, 6, 8], tol);
  });

  it('a box normalised by H - 1 lands on pixel centres: [0, 0, .5, .5] -> rows/cols 0..1', () => {
    // scale = 0.5 * 2 / 1 = 1: in = 0, 1
    expectClose(cropAndResize(g, { y1: 0, x1: 0, y2: 0.5, x2: 0.5 }, 2, 2), [0, 1, 3, 4], tol);
  });

  it('upsamples bilinearly: full box to 4x4', () => {
    // scale = 2 / 3: in = 0, 2/3, 4/3, 2, so out[y][x] = 3 * (2y/3) + 2x/3 = 2y + 2x/3
    const want: number[] = [];
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) want.push(2 * y + (2 * x) / 3);
    expectClose(cropAndResize(g, { y1: 0, x1: 0, y2: 1, x2: 1 }, 4, 4), want, { atol: 1e-5, rtol: 0 });
  });

  it('a 1x1 crop samples the box centre 0.5 * (y1 + y2) * (H - 1)', () => {
    // [.25, .25, .75, .75]: in = 0.5 * 1 * 2 = 1 -> g[1][1] = 4
    expectClose(cropAndResize(g, { y1: 0.25, x1: 0.25, y2: 0.75, x2: 0.75 }, 1, 1), [4], tol);
    // [0, 0, .25, .25]: in = 0.25 in both axes -> 3 * 0.25 + 0.25 = 1
    expectClose(cropAndResize(g, { y1: 0, x1: 0, y2: 0.25, x2: 0.25 }, 1, 1), [1], tol);
  });

  it('y1 > y2 flips the crop upside down', () => {
    expectClose(cropAndResize(g, { y1: 1, x1: 0, y2: 0, x2: 1 }, 3, 3), [6, 7, 8, 3, 4, 5, 0, 1, 2], tol);
  });

  it('samples outside the image take the extrapolation value', () => {
    // [-.5, 0, .5, 1] to 3x3: in_y = -1, 0, 1 -> first row outside
    const out = cropAndResize(g, { y1: -0.5, x1: 0, y2: 0.5, x2: 1 }, 3, 3, { extrapolationValue: -1 });
    expectClose(out, [-1, -1, -1, 0, 1, 2, 3, 4, 5], tol);
    // columns too: [0, .5, 1, 1.5] to 3x3: in_x = 1, 2, 3 -> last column outside, default 0
    const out2 = cropAndResize(g, { y1: 0, x1: 0.5, y2: 1, x2: 1.5 }, 3, 3);
    expectClose(out2, [1, 2, 0, 4, 5, 0, 7, 8, 0], tol);
  });

  it('uint8 RGB input is divided by 255 per channel', () => {
    // 2x2 RGB: R = [[0, 255], [0, 255]], G = [[0, 0], [255, 255]], B = [[10, 20], [30, 40]].
    // Output 3x3, full box: centre = average of the four pixels: R 127.5, G 127.5, B 25.
    const data = Uint8Array.from([0, 0, 10, 255, 0, 20, 0, 255, 30, 255, 255, 40]);
    const out = cropAndResize({ data, width: 2, height: 2 }, { y1: 0, x1: 0, y2: 1, x2: 1 }, 3, 3);
    expect(out.length).toBe(27);
    expectClose(out.subarray(12, 15), [0.5, 0.5, 25 / 255], tol, 'centre pixel');
    expectClose(out.subarray(0, 3), [0, 0, 10 / 255], tol, 'top-left corner');
    expectClose(out.subarray(24, 27), [1, 1, 40 / 255], tol, 'bottom-right corner');
  });

  it('rejects mismatched image data', () => {
    expect(() => cropAndResize({ data: new Uint8Array(5), width: 2, height: 2 }, { y1: 0, x1: 0, y2: 1, x2: 1 }, 2, 2)).toThrow(
      /does not match 2x2x3/,
    );
  });
});
