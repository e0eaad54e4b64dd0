import { Rng } from '../rng';
import { shuffleBuffer } from './shuffle-buffer';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* range(n: number) {
  for (let i = 0; i < n; i++) yield i;
}

describe('shuffleBuffer', () => {
  it('emits every element exactly once, for buffers smaller, equal and larger than the input', async () => {
    for (const size of [1, 3, 10, 50]) {
      const out = await collect(shuffleBuffer(range(10), size, new Rng(1)));
      expect([...out].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  it('with a buffer of 1 keeps the order; larger buffers shuffle, reproducibly', async () => {
    expect(await collect(shuffleBuffer(range(10), 1, new Rng(1)))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const a = await collect(shuffleBuffer(range(100), 16, new Rng(2)));
    const b = await collect(shuffleBuffer(range(100), 16, new Rng(2)));
    const c = await collect(shuffleBuffer(range(100), 16, new Rng(3)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual([...a].sort((x, y) => x - y));
  });

  it('never emits an element earlier than `size` positions before it arrived', async () => {
    // With a buffer of 4, element i cannot come out before input position i - 3 has been read:
    // output k is chosen among the first k + 4 inputs.
    const out = await collect(shuffleBuffer(range(200), 4, new Rng(5)));
    out.forEach((x, k) => expect(x).toBeLessThan(k + 4));
  });
});
