import { Rng } from '@ffem/data';

/** A small seeded generator (@ffem/data's mulberry32) for reproducible test data and benchmarks. */
export function seededRandom(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

/** n x dim standard-normal-ish values (sum of uniforms), seeded. */
export function randomEmbeddings(n: number, dim: number, seed: number): Float32Array {
  const rnd = seededRandom(seed);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) out[i] = rnd() + rnd() + rnd() - 1.5;
  return out;
}
