import { expectClose } from '@ffem/testing';
import { adjustBrightness, adjustContrast, adjustHue, clipValues } from './color';

const tol = { atol: 1e-6, rtol: 0 };

describe('adjustHue', () => {
  it('is the identity for delta 0 and leaves grey pixels alone', () => {
    const img = Float32Array.from([0.2, 0.5, 0.9, 0.4, 0.4, 0.4, 0.9, 0.1, 0.3]);
    const copy = img.slice();
    adjustHue(img, 0);
    expectClose(img, copy, tol);
    const grey = Float32Array.from([0.3, 0.3, 0.3]);
    adjustHue(grey, 0.37);
    expectClose(grey, [0.3, 0.3, 0.3], tol);
  });

  it('rotates the hue circle: red +1/6 turn is yellow, +1/3 is green, -1/3 is blue', () => {
    const at = (d: number) => {
      const px = Float32Array.from([1, 0, 0]);
      adjustHue(px, d);
      return px;
    };
    expectClose(at(1 / 6), [1, 1, 0], tol);
    expectClose(at(1 / 3), [0, 1, 0], tol);
    expectClose(at(-1 / 3), [0, 0, 1], tol);
    // a muted orange (h = 1/12 turn) shifted by 1/12: keeps min and max, becomes yellow
    const px = Float32Array.from([0.8, 0.5, 0.2]);
    adjustHue(px, 1 / 12);
    expectClose(px, [0.8, 0.8, 0.2], tol);
  });
});

describe('adjustBrightness / adjustContrast / clipValues', () => {
  it('adds the brightness delta', () => {
    const img = Float32Array.from([0, 0.5, 1]);
    adjustBrightness(img, 0.1);
    expectClose(img, [0.1, 0.6, 1.1], tol);
  });

  it('scales each channel around its own mean', () => {
    // one channel per column: c0 = [0.25, 0.75] (mean 0.5), c1 = [0, 0.2] (mean 0.1)
    const img = Float32Array.from([0.25, 0, 0.75, 0.2]);
    adjustContrast(img, 2, 2);
    expectClose(img, [0, -0.1, 1, 0.3], tol);
  });

  it('clips to [0, 1]', () => {
    const img = Float32Array.from([-0.5, 0.5, 1.5]);
    clipValues(img);
    expectClose(img, [0, 0.5, 1], tol);
  });
});
