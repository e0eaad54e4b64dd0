import { expectClose } from '@ffem/testing';
import { balancedFolds, bestThreshold, rocCurve, supportedFars, verification } from './verification';

const tol = { atol: 1e-12, rtol: 0 };

describe('verification', () => {
  it('matches a hand-checked ROC, AUC and EER', () => {
    // desc: 0.9 S, 0.8 D, 0.7 S, 0.1 D -> points (0,0) (0,.5) (.5,.5) (.5,1) (1,1)
    const r = verification([0.9, 0.8, 0.7, 0.1], [true, false, true, false], { nFolds: 2 });
    expect(r.roc.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(r.roc.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(r.roc.thresholds).toEqual([Infinity, 0.9, 0.8, 0.7, 0.1]);
    // Mann-Whitney: 3 of 4 (pos, neg) pairs ordered right.
    expectClose(r.auc, 0.75, tol);
    // FPR - FNR: -1, -.5, 0 -> crosses at the third point: EER 0.5.
    expectClose(r.eer, 0.5, tol);
    expect(r.eerThreshold).toBe(0.8);
  });
  it('counts tied scores of a matched and a mismatched pair as one half in the AUC', () => {
    const r = verification([0.5, 0.5, 0.9, 0.1], [true, false, true, false], { nFolds: 2 });
    expect(r.roc.fpr).toEqual([0, 0, 0.5, 1]);
    expect(r.roc.tpr).toEqual([0, 0.5, 1, 1]);
    expectClose(r.auc, 3.5 / 4, tol);
  });
  it('gives chance figures when all scores are equal', () => {
    const issame = [true, true, true, false, false, false];
    const r = verification([0.3, 0.3, 0.3, 0.3, 0.3, 0.3], issame, { nFolds: 3 });
    expect(r.roc.fpr).toEqual([0, 1]);
    expectClose(r.auc, 0.5, tol);
    expectClose(r.eer, 0.5, tol);
    // Both "all same" and "all different" are right half the time; the strictest threshold wins.
    expectClose(r.accuracy.folds, [0.5, 0.5, 0.5], tol);
    expect(r.threshold.folds).toEqual([1.3, 1.3, 1.3]);
  });
  it('chooses each fold threshold on the other folds (hand-checked)', () => {
    // folds: [0,1,4,5] and [2,3,6,7] (balanced, file order)
    const scores = [0.9, 0.8, 0.7, 0.2, 0.3, 0.6, 0.1, 0.5];
    const issame = [true, true, true, true, false, false, false, false];
    expect(balancedFolds(issame, 2)).toEqual([
      [0, 1, 4, 5],
      [2, 3, 6, 7],
    ]);
    const r = verification(scores, issame, { nFolds: 2 });
    // fold 0 tested at t = 0.6 (best on fold 1: 3/4 right) -> 4/4; fold 1 at t = 0.7 -> 2/4.
    expectClose(r.threshold.folds, [0.6, 0.7], { atol: 1e-12, rtol: 0 });
    expectClose(r.accuracy.folds, [1, 0.5], tol);
    expectClose([r.accuracy.mean, r.accuracy.std], [0.75, 0.25], tol);
    // The same pairs as distances (2 - score): thresholds in distance units, the rest unchanged.
    const d = verification(
      scores.map((s) => 2 - s),
      issame,
      { nFolds: 2, higherIsSimilar: false },
    );
    expectClose(d.threshold.folds, [1.4, 1.3], { atol: 1e-12, rtol: 0 });
    expect(d.accuracy).toEqual(r.accuracy);
    expectClose(d.auc, r.auc, tol);
  });
  it('uses the folds it is given', () => {
    const scores = [0.9, 0.8, 0.7, 0.2, 0.3, 0.6, 0.1, 0.5];
    const issame = [true, true, true, true, false, false, false, false];
    const r = verification(scores, issame, { folds: [[0, 1, 4, 5], [2, 3, 6, 7]] });
    expectClose(r.accuracy.folds, [1, 0.5], tol);
  });
  it('reports TAR at each FAR the mismatched count supports', () => {
    // 1000 mismatched at 0.000 .. 0.999; matched: 5 at 2.0, 3 at 0.95, 2 at 0.5.
    const scores: number[] = [];
    const issame: boolean[] = [];
    for (let i = 0; i < 1000; i++) (scores.push(i / 1000), issame.push(false));
    for (const [s, n] of [[2, 5], [0.95, 3], [0.5, 2]]) for (let i = 0; i < n; i++) (scores.push(s), issame.push(true));
    const r = verification(scores, issame);
    expect(Object.keys(r.tarAtFar)).toEqual(['1e-1', '1e-2', '1e-3']);
    // 1e-3: only 0.999 may pass -> the five at 2.0. 1e-2: 10 mismatched >= 0.99 -> still 5.
    // 1e-1: 100 mismatched >= 0.9 -> the group at 0.95 (3 matched + 0.950) comes in: 8/10.
    expectClose([r.tarAtFar['1e-1'], r.tarAtFar['1e-2'], r.tarAtFar['1e-3']], [0.8, 0.5, 0.5], tol);
  });
  it('is perfect on separated scores', () => {
    const r = verification([0.9, 0.8, 0.85, 0.95, 0.1, 0.2, 0.15, 0.05], [true, true, true, true, false, false, false, false], { nFolds: 2 });
    expect([r.auc, r.eer, r.accuracy.mean, r.accuracy.std]).toEqual([1, 0, 1, 0]);
  });
  it('refuses pairs of one kind only and NaN scores', () => {
    expect(() => verification([0.1, 0.2], [true, true])).toThrow(/2 matched, 0 mismatched/);
    expect(() => verification([NaN, 0.2], [true, false])).toThrow(/pair 0: score is NaN/);
    expect(() => verification([0.1, 0.2], [true, false])).toThrow(/at least 2 matched and 2 mismatched/);
  });
});

describe('verification helpers', () => {
  it('supportedFars stops at 1 / mismatched', () => {
    expect(supportedFars(1100)).toEqual([0.1, 0.01, 0.001]);
    expect(supportedFars(999)).toEqual([0.1, 0.01]);
    expect(supportedFars(10)).toEqual([0.1]);
    expect(supportedFars(9)).toEqual([]);
  });
  it('bestThreshold picks the strictest of equally good thresholds', () => {
    // both t > 0.9 (all different: 1/2) and t in (0.2, 0.9) (2/2)... best is 2/2 at 0.55.
    expect(bestThreshold([0.9, 0.2], [true, false], [0, 1])).toBeCloseTo(0.55, 12);
    // reversed: every threshold gets 1/2; the strictest (above all) wins.
    expect(bestThreshold([0.2, 0.9], [true, false], [0, 1])).toBe(1.9);
  });
  it('rocCurve groups tied scores into one point', () => {
    expect(rocCurve([1, 1, 1, 0], [true, false, true, false]).fpr).toEqual([0, 0.5, 1]);
  });
});
