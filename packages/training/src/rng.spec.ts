import * as tf from '@tensorflow/tfjs';
import { Rng, withMathRandom } from './rng';

describe('Rng', () => {
  it('continues the same sequence from a saved state', () => {
    const a = new Rng(42);
    for (let i = 0; i < 10; i++) a.next();
    const b = new Rng(0);
    b.setState(a.getState());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(Array.from({ length: 5 }, () => a.next()));
  });

  it('draws in [0, 1)', () => {
    const r = new Rng(1);
    for (let i = 0; i < 1000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});

describe('withMathRandom', () => {
  it("makes tfjs' unseeded dropout repeatable and restores Math.random", async () => {
    await tf.setBackend('cpu');
    const saved = Math.random;
    const mask = (seed: number) => withMathRandom(new Rng(seed), () => tf.dropout(tf.ones([64]), 0.5).dataSync());
    expect(mask(3)).toEqual(mask(3));
    expect(mask(3)).not.toEqual(mask(4));
    expect(Math.random).toBe(saved);
  });
});
