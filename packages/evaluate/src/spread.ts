/** Mean, population standard deviation (numpy's default, as insightface and RFW report), range. */
export interface Spread {
  mean: number;
  std: number;
  min: number;
  max: number;
  /** max - min: RFW's fairness gap across subsets. */
  spread: number;
}

/** Summarises values (NaN entries ignored; all NaN or empty gives NaN everywhere). */
export function spreadOf(values: readonly number[]): Spread {
  const v = values.filter((x) => !Number.isNaN(x));
  if (v.length === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN, spread: NaN };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  const min = Math.min(...v);
  const max = Math.max(...v);
  return { mean, std, min, max, spread: max - min };
}
