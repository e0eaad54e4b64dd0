/**
 * tf.data's shuffle buffer: hold up to `size` elements; once full, each new element replaces a
 * uniformly chosen one, which is emitted; at the end the rest is emitted in random order. Every
 * element comes out exactly once; the order depends only on the input order and the generator.
 * Memory: at most `size` elements.
 */
import type { Rng } from '../rng';

export async function* shuffleBuffer<T>(source: AsyncIterable<T>, size: number, rng: Rng): AsyncGenerator<T> {
  if (!(Number.isInteger(size) && size >= 1)) throw new Error(`shuffleBuffer: size must be an integer >= 1, got ${size}`);
  const buf: T[] = [];
  for await (const x of source) {
    if (buf.length < size) {
      buf.push(x);
      continue;
    }
    const j = rng.int(0, size);
    const out = buf[j];
    buf[j] = x;
    yield out;
  }
  while (buf.length > 0) {
    const j = rng.int(0, buf.length);
    const out = buf[j];
    buf[j] = buf[buf.length - 1];
    buf.pop();
    yield out;
  }
}
