import { DEFAULT_AUGMENT, resolveAugment } from './augment-options';

describe('resolveAugment', () => {
  it('maps true to the original defaults and false/undefined to the test transform', () => {
    expect(resolveAugment(true)).toEqual(DEFAULT_AUGMENT);
    expect(DEFAULT_AUGMENT).toMatchObject({ boxJitterProbability: 0.5, boxJitter: 0.1, hue: 0.1, brightness: 0.1, contrast: [0.9, 1.1], cutoutProbability: 0.5, cutoutMaxSize: 38 });
    expect(resolveAugment(false)).toBeNull();
    expect(resolveAugment(undefined)).toBeNull();
  });

  it('overrides single fields', () => {
    expect(resolveAugment({ blur: 'median', hue: 0 })).toEqual({ ...DEFAULT_AUGMENT, blur: 'median', hue: 0 });
  });

  it('rejects unknown keys and bad values naming the key', () => {
    expect(() => resolveAugment({ hues: 1 } as never)).toThrow(/unknown option 'hues'/);
    expect(() => resolveAugment({ flipProbability: 1.5 })).toThrow(/flipProbability must be in \[0, 1\]/);
    expect(() => resolveAugment({ contrast: [1.1, 0.9] })).toThrow(/contrast/);
    expect(() => resolveAugment({ blur: 'box' as never })).toThrow(/blur must be/);
    expect(() => resolveAugment({ cutoutMaxSize: -2 })).toThrow(/cutoutMaxSize/);
  });
});
