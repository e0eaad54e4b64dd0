import { expectClose } from '@ffem/testing';
import { jitterBox, normaliseBox } from './face-box';

describe('normaliseBox', () => {
  it('divides [y1, x1, y2, x2] by [H, W, H, W] in float32 (not H - 1)', () => {
    // LFW box [68, 68, 182, 182] on 250x250; a non-square image to catch swapped axes.
    const b = normaliseBox({ x1: 68, y1: 68, x2: 182, y2: 182 }, 250, 250);
    expect(b).toEqual({ y1: Math.fround(0.272), x1: Math.fround(0.272), y2: Math.fround(0.728), x2: Math.fround(0.728) });
    const c = normaliseBox({ x1: 10, y1: 20, x2: 30, y2: 40 }, 100, 50);
    expectClose([c.y1, c.x1, c.y2, c.x2], [0.4, 0.1, 0.8, 0.3], { atol: 1e-7, rtol: 0 });
  });
});

describe('jitterBox', () => {
  it('moves each coordinate by v * scale and clips to [0, 1]', () => {
    const b = jitterBox({ y1: 0.5, x1: 0.2, y2: 0.95, x2: 0.8 }, [0.1, -0.1, 0.1, 0]);
    // 0.5 + 0.05, 0.2 - 0.02, 0.95 * 1.1 = 1.045 -> 1, 0.8
    expectClose([b.y1, b.x1, b.y2, b.x2], [0.55, 0.18, 1, 0.8], { atol: 1e-6, rtol: 0 });
  });
});
