import { flipLeftRight } from './flip';

describe('flipLeftRight', () => {
  it('mirrors each row, keeping channel order, and is its own inverse', () => {
    // 2 rows x 3 columns x 2 channels
    const img = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    flipLeftRight(img, 2, 3, 2);
    expect(Array.from(img)).toEqual([5, 6, 3, 4, 1, 2, 11, 12, 9, 10, 7, 8]);
    flipLeftRight(img, 2, 3, 2);
    expect(Array.from(img)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});
