/**
 * A small seedable PRNG (mulberry32) whose whole state is one uint32, so a checkpoint can carry
 * it. tfjs draws unseeded randomness (dropout masks, unseeded initialisers) from `Math.random`;
 * `withMathRandom` routes those draws through this generator for the duration of a synchronous
 * call, which makes a training step repeatable and resumable.
 */
export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  getState(): number {
    return this.s;
  }

  setState(state: number): void {
    this.s = state >>> 0;
  }
}

/** Runs `fn` (synchronous) with `Math.random` drawing from `rng`; restores it afterwards. */
export function withMathRandom<T>(rng: Rng, fn: () => T): T {
  const saved = Math.random;
  Math.random = () => rng.next();
  try {
    return fn();
  } finally {
    Math.random = saved;
  }
}
