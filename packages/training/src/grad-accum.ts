/**
 * Gradient accumulation: the gradients of `num_grad_accum` micro-batches are summed and averaged,
 * then applied once, so micro-batches of B images act as one batch of B x num_grad_accum (exactly,
 * up to float rounding, for a model without batch statistics).
 */
import * as tf from '@tensorflow/tfjs';

export class GradAccumulator {
  private sums: tf.Tensor[] | null = null;
  private n = 0;

  /** Adds one micro-batch's gradients (ordered as the variables); takes ownership of them. */
  add(grads: tf.Tensor[]): void {
    if (this.sums === null) {
      this.sums = grads;
    } else {
      if (grads.length !== this.sums.length) throw new Error(`GradAccumulator: ${grads.length} gradients, expected ${this.sums.length}`);
      const next = this.sums.map((s, i) => tf.add(s, grads[i]));
      tf.dispose(this.sums);
      tf.dispose(grads);
      this.sums = next;
    }
    this.n += 1;
  }

  /** How many micro-batches were added since the last `take`. */
  get count(): number {
    return this.n;
  }

  /** The mean gradients (caller disposes them); resets the accumulator. */
  take(): tf.Tensor[] {
    if (this.sums === null) throw new Error('GradAccumulator: no gradients accumulated');
    const sums = this.sums;
    const n = this.n;
    this.sums = null;
    this.n = 0;
    if (n === 1) return sums;
    const means = sums.map((s) => tf.div(s, n));
    tf.dispose(sums);
    return means;
  }

  /** Drops what was accumulated. */
  reset(): void {
    if (this.sums) tf.dispose(this.sums);
    this.sums = null;
    this.n = 0;
  }
}

/**
 * Scales the gradients so that their global L2 norm is at most `maxNorm` (tf.clip_by_global_norm).
 * Returns the norm before clipping; disposes the inputs when it replaces them.
 */
export function clipByGlobalNorm(grads: tf.Tensor[], maxNorm: number): { grads: tf.Tensor[]; norm: number } {
  const normT = tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))));
  const norm = normT.dataSync()[0];
  normT.dispose();
  if (!(maxNorm > 0) || !(norm > maxNorm)) return { grads, norm };
  const scale = maxNorm / norm;
  const clipped = grads.map((g) => tf.mul(g, scale));
  tf.dispose(grads);
  return { grads: clipped, norm };
}
