import { spatialPads } from './spatial-padding';

describe('spatialPads', () => {
  it('puts the extra pixel of TF same padding at the bottom/right', () => {
    // in 8, k 3, s 2: out 4, total (4-1)*2+3-8 = 1 -> 0 before, 1 after
    expect(spatialPads('same', [8, 8], [3, 3], [2, 2])).toEqual([0, 0, 1, 1]);
    // in 7, k 3, s 2: out 4, total 2 -> 1, 1
    expect(spatialPads('same', [7, 9], [3, 3], [2, 2])).toEqual([1, 1, 1, 1]);
  });
  it('accounts for dilation and non-square kernels', () => {
    // k 3 dilated 2 -> k_eff 5; in 10, s 1: total 4 -> 2, 2; k 2 -> total 1 -> 0, 1
    expect(spatialPads('same', [10, 10], [3, 2], [1, 1], [2, 1])).toEqual([2, 0, 2, 1]);
  });
  it('returns zeros for valid and SAME_UPPER for unknown sizes', () => {
    expect(spatialPads('valid', [5, 5], [3, 3], [1, 1])).toEqual([0, 0, 0, 0]);
    expect(spatialPads('same', [null, 5], [3, 3], [1, 1])).toBe('SAME_UPPER');
  });
  it('rejects other paddings', () => {
    expect(() => spatialPads('causal', [5, 5], [3, 3], [1, 1])).toThrow(/causal/);
  });
});
