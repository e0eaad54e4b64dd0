/**
 * Learning-rate schedules of the original recipe: constant; exponential staircase decay
 * (`lr * rate ^ floor(step / decay_steps)`, Keras ExponentialDecay(staircase=True)); and
 * reduce-on-plateau on recall@1 (Keras ReduceLROnPlateau, mode 'max'). The state is plain JSON so
 * a checkpoint can carry it.
 */
export type LrScheduleKind = 'constant' | 'exponential' | 'plateau';

export interface LrScheduleOptions {
  kind: LrScheduleKind;
  /** Initial learning rate. */
  lr: number;
  decaySteps?: number;
  decayRate?: number;
  /** Plateau: multiply the lr by this when the metric has not improved for `patience` epochs. */
  factor?: number;
  patience?: number;
  minLr?: number;
}

export interface LrScheduleState {
  /** Plateau: the current lr (the other kinds compute it from the step). */
  lr: number;
  /** Best metric so far; null before the first epoch. */
  best: number | null;
  wait: number;
}

export class LrSchedule {
  private state: LrScheduleState;

  constructor(readonly options: LrScheduleOptions) {
    if (!(options.lr > 0)) throw new Error(`lr: must be > 0, got ${options.lr}`);
    this.state = { lr: options.lr, best: null, wait: 0 };
  }

  /** The learning rate for optimizer step `step` (0-based). */
  at(step: number): number {
    const o = this.options;
    if (o.kind === 'exponential') {
      return o.lr * Math.pow(o.decayRate ?? 0.96, Math.floor(step / (o.decaySteps ?? 1)));
    }
    return this.state.lr;
  }

  /**
   * Feeds the epoch's monitored metric (higher is better). Returns the new lr when the plateau
   * schedule lowered it, else null. The other kinds ignore it.
   */
  onEpochEnd(metric: number): number | null {
    if (this.options.kind !== 'plateau' || !Number.isFinite(metric)) return null;
    const s = this.state;
    if (s.best === null || metric > s.best) {
      s.best = metric;
      s.wait = 0;
      return null;
    }
    s.wait += 1;
    if (s.wait < (this.options.patience ?? 2)) return null;
    s.wait = 0;
    const minLr = this.options.minLr ?? 0;
    if (!(s.lr > minLr)) return null;
    s.lr = Math.max(s.lr * (this.options.factor ?? 0.5), minLr);
    return s.lr;
  }

  getState(): LrScheduleState {
    return { ...this.state };
  }

  setState(state: LrScheduleState): void {
    this.state = { ...state };
  }
}
