/**
 * `Rng` is @ffem/data's seedable PRNG (mulberry32): its whole state is one uint32, so a
 * checkpoint can carry it. tfjs draws unseeded randomness (dropout masks, unseeded initialisers)
 * from `Math.random`; `withMathRandom` routes those draws through this generator for the duration
 * of a synchronous call, which makes a training step repeatable and resumable.
 */
import { Rng } from '@ffem/data';

export { Rng };

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
