import { flipHwc, hwcToChw } from './embed';

describe('image layout helpers', () => {
  it('flipHwc mirrors each row, keeping channels together', () => {
    // 1 x 3 image, pixels (r,g,b) = (1,2,3) (4,5,6) (7,8,9)
    const x = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9);
    flipHwc(x, 1, 3);
    expect(Array.from(x)).toEqual([7, 8, 9, 4, 5, 6, 1, 2, 3]);
  });
  it('hwcToChw writes planes at the offset', () => {
    const out = new Float32Array(13);
    hwcToChw(Float32Array.of(1, 2, 3, 4, 5, 6), 1, 2, out, 1);
    expect(Array.from(out.subarray(1, 7))).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
