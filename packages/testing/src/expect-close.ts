export interface Tolerance {
  atol: number;
  rtol: number;
}

type Numeric = ArrayLike<number> | number;

function toArray(x: Numeric): ArrayLike<number> {
  return typeof x === 'number' ? [x] : x;
}

/**
 * Element-wise |a - e| <= atol + rtol * |e|; NaN matches only NaN, +-Infinity only itself.
 * Throws an Error naming the first offending index, both values and the worst difference.
 */
export function expectClose(actual: Numeric, expected: Numeric, tol: Tolerance, what = 'value'): void {
  const a = toArray(actual);
  const e = toArray(expected);
  if (a.length !== e.length) {
    throw new Error(`${what}: length ${a.length}, expected ${e.length}`);
  }
  let worst = 0;
  let firstBad = -1;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = e[i];
    if (Number.isNaN(y) || Number.isNaN(x)) {
      if (!(Number.isNaN(x) && Number.isNaN(y)) && firstBad < 0) firstBad = i;
      continue;
    }
    if (!Number.isFinite(y) || !Number.isFinite(x)) {
      if (x !== y && firstBad < 0) firstBad = i;
      continue;
    }
    const d = Math.abs(x - y);
    worst = Math.max(worst, d);
    if (d > tol.atol + tol.rtol * Math.abs(y) && firstBad < 0) firstBad = i;
  }
  if (firstBad >= 0) {
    throw new Error(
      `${what}: index ${firstBad}: got ${a[firstBad]}, expected ${e[firstBad]} ` +
        `(atol ${tol.atol}, rtol ${tol.rtol}; max abs diff ${worst})`,
    );
  }
}
