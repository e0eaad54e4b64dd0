import { expectClose } from '@ffem/testing';
import { gaussianBlur5, gaussianKernel, medianBlur5 } from './blur';

describe('gaussianKernel', () => {
  it('is exp(-x^2 / 2 sigma^2) normalised', () => {
    // sigma 1: taps e^-2, e^-0.5, 1, e^-0.5, e^-2; sum = 2.48373...
    const s = 1 + 2 * Math.exp(-0.5) + 2 * Math.exp(-2);
    expectClose(gaussianKernel(5, 1), [Math.exp(-2) / s, Math.exp(-0.5) / s, 1 / s, Math.exp(-0.5) / s, Math.exp(-2) / s], {
      atol: 1e-12,
      rtol: 0,
    });
  });
});

describe('gaussianBlur5', () => {
  it('keeps a constant image constant and spreads an impulse by the kernel', () => {
    const flat = new Float32Array(5 * 5 * 3).fill(0.25);
    expectClose(gaussianBlur5(flat, 5, 5, 1), flat, { atol: 1e-6, rtol: 0 });
    // impulse in the centre of a 7x7 one-channel image: out[y][x] = k[y - 3 + 2] * k[x - 3 + 2]
    const img = new Float32Array(49);
    img[24] = 1;
    const out = gaussianBlur5(img, 7, 7, 1, 1);
    const k = gaussianKernel(5, 1);
    expectClose([out[24], out[23], out[16], out[10]], [k[2] * k[2], k[2] * k[1], k[1] * k[1], k[0] * k[2]], { atol: 1e-6, rtol: 0 });
  });

  it('reflects at the border without repeating the edge pixel', () => {
    // 1 at (0, 0) of a 5x5 image. REFLECT maps taps -2, -1 to 2, 1 (never to 0), so at (0, 0) the
    // impulse is seen only by the centre taps: k[2]^2 (SYMMETRIC/REPLICATE padding would add more).
    const img = new Float32Array(25);
    img[0] = 1;
    const out = gaussianBlur5(img, 5, 5, 1, 1);
    const k = gaussianKernel(5, 1);
    expectClose(out[0], k[2] * k[2], { atol: 1e-6, rtol: 0 });
    // at (0, 1) the horizontal taps are x = -1..3 -> 1, 0, 1, 2, 3: the impulse (x = 0) sits at tap 1 only
    expectClose(out[1], k[2] * k[1], { atol: 1e-6, rtol: 0 });
    // at (0, 2) taps x = 0..4: impulse at tap 0; vertical taps y = -2..2 -> 2, 1, 0, 1, 2: y = 0 at tap 2
    expectClose(out[2], k[2] * k[0], { atol: 1e-6, rtol: 0 });
  });
});

describe('medianBlur5', () => {
  it('removes an isolated impulse and keeps a step edge', () => {
    const img = new Float32Array(49);
    img[24] = 1;
    expect(Array.from(medianBlur5(img, 7, 7, 1)).every((v) => v === 0)).toBe(true);
    const step = new Float32Array(49);
    for (let y = 0; y < 7; y++) for (let x = 4; x < 7; x++) step[y * 7 + x] = 1;
    expect(Array.from(medianBlur5(step, 7, 7, 1))).toEqual(Array.from(step));
  });
});
