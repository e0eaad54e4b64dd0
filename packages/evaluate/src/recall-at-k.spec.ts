import { recallAtK } from './recall-at-k';

/** Unit vectors at the given angles (degrees). */
function angles(...deg: number[]): Float32Array {
  return Float32Array.from(deg.flatMap((d) => [Math.cos((d * Math.PI) / 180), Math.sin((d * Math.PI) / 180)]));
}

describe('recallAtK', () => {
  it('matches a hand-checked case', () => {
    // 0:0deg A, 1:10deg B, 2:25deg A, 3:90deg B, 4:100deg C(single)
    // nearest (angular gap): 0 -> 1(B,10) 2(A,25); 1 -> 0(A,10) 2(A,15); 2 -> 1(B,15) 0(A,25);
    // 3 -> 4(C,10) 2(A,65); 4 -> 3(B,10) 2(A,75). No query's first neighbour shares its label: R@1 = 0.
    // R@2: hits for 0 and 2 only = 2/5.
    const x = angles(0, 10, 25, 90, 100);
    const labels = Int32Array.of(0, 1, 0, 1, 2);
    const r = recallAtK(x, labels, 2, [1, 2]);
    expect(r[1]).toBe(0);
    expect(r[2]).toBe(2 / 5);
  });
  it('does not depend on the norm of the embeddings or the metric', () => {
    const x = angles(0, 10, 25, 90, 100).map((v, i) => v * (1 + i));
    const labels = Int32Array.of(0, 1, 0, 1, 2);
    expect(recallAtK(x, labels, 2, [2], 'l2')).toEqual(recallAtK(x, labels, 2, [2], 'cos'));
    expect(recallAtK(x, labels, 2, [2])[2]).toBe(2 / 5);
  });
  it('counts a single image per class as a miss for every K', () => {
    const x = angles(0, 1, 2, 3);
    expect(recallAtK(x, Int32Array.of(0, 1, 2, 3), 2, [1, 3])).toEqual({ 1: 0, 3: 0 });
  });
  it('breaks ties among equal embeddings by the lower index', () => {
    // All equal: query 0's first neighbour is 1, query 1's is 0, query 2's is 0, query 3's is 0.
    const x = angles(5, 5, 5, 5);
    const labels = Int32Array.of(0, 1, 1, 0);
    // R@1: 0->1 miss, 1->0 miss, 2->0 miss, 3->0 hit => 1/4. R@2: 0->1,2 miss; 1->0,2 hit; 2->0,1 hit; 3 hit => 3/4.
    expect(recallAtK(x, labels, 2, [1, 2])).toEqual({ 1: 0.25, 2: 0.75 });
  });
  it('rejects K < 1 and a label count that does not match', () => {
    expect(() => recallAtK(angles(0, 1), Int32Array.of(0, 0), 2, [0])).toThrow(/positive integer/);
    expect(() => recallAtK(angles(0, 1), Int32Array.of(0), 2, [1])).toThrow(/1 labels for 2 embeddings/);
  });
});
