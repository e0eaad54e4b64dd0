import { expectClose } from '@ffem/testing';
import { mapAtR } from './map-at-r';

function angles(...deg: number[]): Float32Array {
  return Float32Array.from(deg.flatMap((d) => [Math.cos((d * Math.PI) / 180), Math.sin((d * Math.PI) / 180)]));
}

describe('mapAtR', () => {
  it('matches a hand-checked case', () => {
    // 0: 0deg A, 1: 0deg B (duplicate of 0), 2: 30deg A, 3: 30deg A (duplicate of 2), 4: 180deg B.
    // R: A -> 2, B -> 1. Exact ties (duplicates) go to the lower index.
    // q0: 1(B), 2(A)            AP = (1/2)/2 = 0.25
    // q1: 0(A)                  AP = 0
    // q2: 3(A), then 0|1 tie -> 0(A)   AP = (1 + 1)/2 = 1
    // q3: 2(A), 0(A)            AP = 1
    // q4: 2|3 tie -> 2(A)       AP = 0
    // MAP@R = (0.25 + 0 + 1 + 1 + 0) / 5 = 0.45
    const x = angles(0, 0, 30, 30, 180);
    expectClose(mapAtR(x, Int32Array.of(0, 1, 0, 0, 1), 2), 0.45, { atol: 1e-12, rtol: 0 });
  });
  it('is 1 for perfectly separated classes and leaves single-image classes out', () => {
    const x = angles(0, 1, 2, 120, 121, 240);
    expect(mapAtR(x, Int32Array.of(0, 0, 0, 1, 1, 2), 2)).toBe(1);
  });
  it('is NaN when no image has a same-label partner', () => {
    expect(mapAtR(angles(0, 90), Int32Array.of(0, 1), 2)).toBeNaN();
  });
  it('orders all-equal embeddings by index', () => {
    // q0: 1(B),2(A): R=1 -> 0. q1: 0(A),2 -> R=1 -> 0... q2: 0(A): R=1 -> 1. q3 (B): 0,1(B) R=1 -> 0.
    const x = angles(7, 7, 7, 7);
    expectClose(mapAtR(x, Int32Array.of(0, 1, 0, 1), 2), 0.25, { atol: 1e-12, rtol: 0 });
  });
});
