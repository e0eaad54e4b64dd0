import { LrSchedule } from './lr-schedule';

describe('LrSchedule', () => {
  it('exponential staircase: lr * rate ^ floor(step / decay_steps)', () => {
    const s = new LrSchedule({ kind: 'exponential', lr: 0.1, decaySteps: 100, decayRate: 0.5 });
    expect([0, 99, 100, 199, 200, 350].map((t) => s.at(t))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]);
  });

  it('constant ignores steps and metrics', () => {
    const s = new LrSchedule({ kind: 'constant', lr: 0.01 });
    expect(s.onEpochEnd(0.1)).toBeNull();
    expect(s.onEpochEnd(0.05)).toBeNull();
    expect(s.at(1e6)).toBe(0.01);
  });

  it('plateau: factor 0.5 after `patience` epochs without a better metric, floored at min_lr', () => {
    const s = new LrSchedule({ kind: 'plateau', lr: 0.1, factor: 0.5, patience: 2, minLr: 0.03 });
    const lrs = [0.5, 0.6, 0.6, 0.55, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7].map((m) => {
      s.onEpochEnd(m);
      return s.at(0);
    });
    // 0.6 does not beat 0.6; after 2 such epochs: 0.05; 0.7 resets; then 0.025 -> floored 0.03; then stays.
    expect(lrs).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.03, 0.03, 0.03, 0.03, 0.03]);
  });

  it('state round-trips through JSON', () => {
    const a = new LrSchedule({ kind: 'plateau', lr: 0.1, patience: 2 });
    a.onEpochEnd(0.5);
    a.onEpochEnd(0.4);
    const b = new LrSchedule({ kind: 'plateau', lr: 0.1, patience: 2 });
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    expect(b.onEpochEnd(0.3)).toBe(0.05);
    expect(a.onEpochEnd(0.3)).toBe(0.05);
  });
});
