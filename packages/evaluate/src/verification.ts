/**
 * Face verification metrics on scored pairs: the LFW protocol's k-fold accuracy (threshold chosen
 * on the other folds), the ROC, TAR at FAR, EER and AUC.
 */
import { spreadOf } from './spread';

export interface VerificationOptions {
  /** Pair indices of each fold (LFW View 2 files give them); default: `balancedFolds(issame, 10)`. */
  folds?: number[][];
  /** Folds to make when `folds` is not given (at most the number of matched or mismatched pairs). */
  nFolds?: number;
  /** true (default): a higher score means more alike (cosine); false: scores are distances (L2). */
  higherIsSimilar?: boolean;
}

export interface Roc {
  /** Operating points from the strictest threshold (0, 0) to the loosest (1, 1). */
  fpr: number[];
  tpr: number[];
  /** Threshold of each point, in score units: a pair is "same" when score >= t (distance <= t). The first is +-Infinity (null in JSON). */
  thresholds: number[];
}

export interface VerificationResult {
  pairs: number;
  matched: number;
  mismatched: number;
  /** Test accuracy of each fold at the threshold best on the other folds; mean and std over folds. */
  accuracy: { mean: number; std: number; folds: number[] };
  /** The threshold chosen for each fold (score units). */
  threshold: { mean: number; std: number; folds: number[] };
  roc: Roc;
  /** TAR at FAR 1e-1, 1e-2, ... down to the smallest FAR >= 1 / mismatched; keys '1e-1', '1e-2', ... */
  tarAtFar: Record<string, number>;
  /** Equal error rate (FAR = FRR), linearly interpolated on the ROC, and the threshold past it. */
  eer: number;
  eerThreshold: number;
  /** Area under the ROC (ties count one half). */
  auc: number;
}

function check(scores: ArrayLike<number>, issame: readonly boolean[]): void {
  if (scores.length !== issame.length) throw new Error(`verification: ${scores.length} scores for ${issame.length} pairs`);
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) throw new Error(`verification: pair ${i}: score is NaN`);
  }
}

/**
 * Splits pairs into `n` folds of contiguous runs of matched and of mismatched pairs (file order;
 * the first `count % n` folds one larger, as sklearn's KFold), each fold holding both kinds. On a
 * View 2 file (10 x (300 matched + 300 mismatched)) this gives exactly LFW's folds.
 */
export function balancedFolds(issame: readonly boolean[], n = 10): number[][] {
  const folds: number[][] = Array.from({ length: n }, () => []);
  for (const want of [true, false]) {
    const idx = issame.flatMap((s, i) => (s === want ? [i] : []));
    let start = 0;
    for (let f = 0; f < n; f++) {
      const size = Math.floor(idx.length / n) + (f < idx.length % n ? 1 : 0);
      folds[f].push(...idx.slice(start, start + size));
      start += size;
    }
  }
  for (const f of folds) f.sort((a, b) => a - b);
  return folds;
}

/**
 * The threshold (score units, "same" when score > t) with the best accuracy on the given pairs:
 * candidates are midpoints between consecutive distinct scores, plus one above the largest and
 * one below the smallest (1 beyond). Among equally good thresholds the highest (strictest) wins.
 */
export function bestThreshold(scores: ArrayLike<number>, issame: readonly boolean[], subset: readonly number[]): number {
  const order = [...subset].sort((a, b) => scores[b] - scores[a]);
  const negatives = order.filter((i) => !issame[i]).length;
  // Threshold above everything: all pairs predicted different.
  let correct = negatives;
  let best = correct;
  let bestT = order.length ? scores[order[0]] + 1 : 0;
  let i = 0;
  while (i < order.length) {
    const v = scores[order[i]];
    while (i < order.length && scores[order[i]] === v) {
      correct += issame[order[i]] ? 1 : -1;
      i++;
    }
    const next = i < order.length ? scores[order[i]] : v - 2;
    if (correct > best) {
      best = correct;
      bestT = (v + next) / 2;
    }
  }
  return bestT;
}

/** The ROC over all pairs, one point per distinct score. */
export function rocCurve(scores: ArrayLike<number>, issame: readonly boolean[]): Roc {
  check(scores, issame);
  const pos = issame.filter((s) => s).length;
  const neg = issame.length - pos;
  if (pos === 0 || neg === 0) throw new Error(`verification: need matched and mismatched pairs, got ${pos} matched, ${neg} mismatched`);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const roc: Roc = { fpr: [0], tpr: [0], thresholds: [Infinity] };
  let tp = 0;
  let fp = 0;
  let i = 0;
  while (i < order.length) {
    const v = scores[order[i]];
    while (i < order.length && scores[order[i]] === v) {
      if (issame[order[i]]) tp++;
      else fp++;
      i++;
    }
    roc.fpr.push(fp / neg);
    roc.tpr.push(tp / pos);
    roc.thresholds.push(v);
  }
  return roc;
}

/** Trapezoidal area under an ROC. */
export function rocAuc(roc: Roc): number {
  let a = 0;
  for (let i = 1; i < roc.fpr.length; i++) a += ((roc.fpr[i] - roc.fpr[i - 1]) * (roc.tpr[i] + roc.tpr[i - 1])) / 2;
  return a;
}

/** EER: where FPR = 1 - TPR, linearly interpolated between the two ROC points around it. */
export function equalErrorRate(roc: Roc): { eer: number; threshold: number } {
  for (let i = 1; i < roc.fpr.length; i++) {
    const d1 = roc.fpr[i] - (1 - roc.tpr[i]);
    if (d1 >= 0) {
      const d0 = roc.fpr[i - 1] - (1 - roc.tpr[i - 1]);
      const a = d0 === d1 ? 0 : d0 / (d0 - d1);
      return { eer: roc.fpr[i - 1] + a * (roc.fpr[i] - roc.fpr[i - 1]), threshold: roc.thresholds[i] };
    }
  }
  return { eer: NaN, threshold: NaN };
}

/** The FARs 1e-1, 1e-2, ... that `mismatched` pairs can resolve (10^-i >= 1 / mismatched). */
export function supportedFars(mismatched: number): number[] {
  const out: number[] = [];
  for (let i = 1; i <= 12 && 10 ** -i * mismatched >= 1 - 1e-9; i++) out.push(10 ** -i);
  return out;
}

/** TAR at FAR: the highest TPR among ROC points with FPR <= far (no interpolation). */
export function tarAtFar(roc: Roc, far: number): number {
  let best = 0;
  for (let i = 0; i < roc.fpr.length; i++) if (roc.fpr[i] <= far + 1e-12) best = Math.max(best, roc.tpr[i]);
  return best;
}

/**
 * Every verification number for scored pairs. Scores are similarities (cosine) unless
 * `higherIsSimilar: false` (distances); thresholds are reported in the same units.
 */
export function verification(scores: ArrayLike<number>, issame: readonly boolean[], opts: VerificationOptions = {}): VerificationResult {
  check(scores, issame);
  const sign = opts.higherIsSimilar === false ? -1 : 1;
  const s = Float64Array.from(scores as ArrayLike<number>, (x) => sign * x);
  const matched = issame.filter((x) => x).length;
  const mismatched = issame.length - matched;
  const roc = rocCurve(s, issame);
  const nFolds = Math.min(opts.nFolds ?? 10, matched, mismatched);
  const folds = opts.folds ?? (nFolds >= 2 ? balancedFolds(issame, nFolds) : null);
  if (!folds || folds.length < 2) {
    throw new Error(`verification: k-fold accuracy needs at least 2 matched and 2 mismatched pairs, got ${matched} and ${mismatched}`);
  }
  const inFold = new Int32Array(issame.length).fill(-1);
  folds.forEach((f, fi) =>
    f.forEach((i) => {
      if (i < 0 || i >= issame.length) throw new Error(`verification: fold ${fi}: pair index ${i} out of range`);
      inFold[i] = fi;
    }),
  );
  const accs: number[] = [];
  const thresholds: number[] = [];
  folds.forEach((test, fi) => {
    const train = [];
    for (let i = 0; i < issame.length; i++) if (inFold[i] !== fi && inFold[i] !== -1) train.push(i);
    const t = bestThreshold(s, issame, train);
    let ok = 0;
    for (const i of test) if (s[i] > t === issame[i]) ok++;
    accs.push(test.length ? ok / test.length : NaN);
    thresholds.push(sign * t);
  });
  const acc = spreadOf(accs);
  const thr = spreadOf(thresholds);
  const eer = equalErrorRate(roc);
  const tar: Record<string, number> = {};
  for (const far of supportedFars(mismatched)) tar[far.toExponential(0).replace('e-', 'e-')] = tarAtFar(roc, far);
  return {
    pairs: issame.length,
    matched,
    mismatched,
    accuracy: { mean: acc.mean, std: acc.std, folds: accs },
    threshold: { mean: thr.mean, std: thr.std, folds: thresholds },
    roc: { fpr: roc.fpr, tpr: roc.tpr, thresholds: roc.thresholds.map((t) => sign * t) },
    tarAtFar: tar,
    eer: eer.eer,
    eerThreshold: sign * eer.threshold,
    auc: rocAuc(roc),
  };
}
