/** A small seeded generator (mulberry32) for reproducible test data and benchmarks. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n x dim standard-normal-ish values (sum of uniforms), seeded. */
export function randomEmbeddings(n: number, dim: number, seed: number): Float32Array {
  const rnd = seededRandom(seed);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) out[i] = rnd() + rnd() + rnd() - 1.5;
  return out;
}
