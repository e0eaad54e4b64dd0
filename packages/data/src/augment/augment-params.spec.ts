import { Rng } from '../rng';
import { DEFAULT_AUGMENT, resolveAugment } from './augment-options';
import { drawAugmentParams } from './augment-params';

describe('drawAugmentParams with the original defaults', () => {
  const N = 4000;
  const rng = new Rng(123);
  const ps = Array.from({ length: N }, () => drawAugmentParams(rng, { ...DEFAULT_AUGMENT }));
  const frac = (pred: (i: number) => boolean) => ps.filter((_, i) => pred(i)).length / N;

  it('jitters half the boxes, each scale within +-0.1', () => {
    expect(Math.abs(frac((i) => ps[i].jitter !== null) - 0.5)).toBeLessThan(0.04);
    const scales = ps.flatMap((p) => p.jitter ?? []);
    expect(Math.min(...scales)).toBeGreaterThanOrEqual(-0.1);
    expect(Math.max(...scales)).toBeLessThanOrEqual(0.1);
    expect(Math.min(...scales)).toBeLessThan(-0.095);
    expect(Math.max(...scales)).toBeGreaterThan(0.095);
  });

  it('flips half the images and colours all, within hue/brightness +-0.1 and contrast 0.9..1.1', () => {
    expect(Math.abs(frac((i) => ps[i].flip) - 0.5)).toBeLessThan(0.04);
    expect(frac((i) => ps[i].color !== null)).toBe(1);
    for (const p of ps) {
      expect(Math.abs(p.color!.hue)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(p.color!.brightness)).toBeLessThanOrEqual(0.1);
      expect(p.color!.contrast).toBeGreaterThanOrEqual(0.9);
      expect(p.color!.contrast).toBeLessThanOrEqual(1.1);
    }
  });

  it('cuts out half the images with an even side 0..38 and fill in [0, 1)', () => {
    expect(Math.abs(frac((i) => ps[i].cutout !== null) - 0.5)).toBeLessThan(0.04);
    const sizes = new Set(ps.flatMap((p) => (p.cutout ? [p.cutout.size] : [])));
    expect([...sizes].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, k) => 2 * k));
    for (const p of ps) if (p.cutout) expect(p.cutout.fill >= 0 && p.cutout.fill < 1).toBe(true);
  });

  it('does not blur by default; blur "random" picks gaussian and median about equally', () => {
    expect(ps.every((p) => p.blur === null)).toBe(true);
    const r = new Rng(5);
    const o = resolveAugment({ blur: 'random' })!;
    const kinds = Array.from({ length: 2000 }, () => drawAugmentParams(r, o).blur);
    const g = kinds.filter((k) => k === 'gaussian').length / 2000;
    expect(Math.abs(g - 0.5)).toBeLessThan(0.05);
    expect(kinds.every((k) => k === 'gaussian' || k === 'median')).toBe(true);
  });

  it('always consumes the same amount of randomness, whatever the options', () => {
    const a = new Rng(9);
    const b = new Rng(9);
    drawAugmentParams(a, { ...DEFAULT_AUGMENT });
    drawAugmentParams(b, resolveAugment({ boxJitterProbability: 0, cutoutProbability: 0, blur: 'median' })!);
    expect(a.next()).toBe(b.next());
  });
});
