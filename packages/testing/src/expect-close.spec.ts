import { expectClose } from './expect-close';
import { sharedData } from './shared-data';

describe('expectClose', () => {
  const tol = { atol: 1e-6, rtol: 1e-5 };
  it('accepts values within atol + rtol*|e|', () => {
    expect(() => expectClose([1, 2.00001], [1, 2], tol)).not.toThrow();
  });
  it('rejects values outside the tolerance and names the index', () => {
    expect(() => expectClose([1, 2.1], [1, 2], tol)).toThrow(/index 1/);
  });
  it('treats NaN as equal only to NaN', () => {
    expect(() => expectClose([NaN], [NaN], tol)).not.toThrow();
    expect(() => expectClose([NaN], [0], tol)).toThrow(/index 0/);
    expect(() => expectClose([0], [NaN], tol)).toThrow(/index 0/);
  });
  it('rejects length mismatch', () => {
    expect(() => expectClose([1], [1, 2], tol)).toThrow(/length/);
  });
});

describe('sharedData', () => {
  it('finds the shared data sets', () => {
    expect(sharedData('tfrecord-fixtures', 'README.md')).toMatch(/tfrecord-fixtures/);
  });
  it('fails loudly naming the missing path', () => {
    expect(() => sharedData('no-such-set')).toThrow(/shared data missing: .*no-such-set/);
  });
});
