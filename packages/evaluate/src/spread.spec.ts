import { expectClose } from '@ffem/testing';
import { spreadOf } from './spread';

describe('spreadOf', () => {
  it('gives mean, population std, range (hand-checked)', () => {
    // [0.9, 0.8, 0.7]: mean 0.8, std sqrt((0.01 + 0 + 0.01) / 3)
    const s = spreadOf([0.9, 0.8, 0.7]);
    expectClose([s.mean, s.std, s.min, s.max, s.spread], [0.8, Math.sqrt(0.02 / 3), 0.7, 0.9, 0.2], { atol: 1e-12, rtol: 0 });
  });
  it('ignores NaN and is NaN when nothing is left', () => {
    expect(spreadOf([NaN, 0.5])).toEqual({ mean: 0.5, std: 0, min: 0.5, max: 0.5, spread: 0 });
    expect(spreadOf([]).mean).toBeNaN();
  });
});
