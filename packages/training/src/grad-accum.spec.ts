import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { clipByGlobalNorm, GradAccumulator } from './grad-accum';

const TOL = { atol: 1e-6, rtol: 1e-6 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('GradAccumulator', () => {
  it('averages the added gradients and resets', () => {
    const acc = new GradAccumulator();
    acc.add([tf.tensor1d([1, 2]), tf.scalar(3)]);
    acc.add([tf.tensor1d([3, 6]), tf.scalar(5)]);
    expect(acc.count).toBe(2);
    const [a, b] = acc.take();
    expectClose(a.dataSync(), [2, 4], TOL, 'a');
    expectClose(b.dataSync(), [4], TOL, 'b');
    expect(acc.count).toBe(0);
    tf.dispose([a, b]);
    expect(() => acc.take()).toThrow(/no gradients/);
  });

  it('does not leak tensors', () => {
    const before = tf.memory().numTensors;
    const acc = new GradAccumulator();
    for (let i = 0; i < 4; i++) acc.add([tf.ones([3, 3])]);
    tf.dispose(acc.take());
    acc.add([tf.ones([2])]);
    acc.reset();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('clipByGlobalNorm', () => {
  it('scales all gradients by max_norm / global norm when above it', () => {
    const { grads, norm } = clipByGlobalNorm([tf.tensor1d([3, 0]), tf.tensor1d([0, 4])], 1);
    expectClose(norm, 5, TOL, 'norm');
    expectClose(grads[0].dataSync(), [0.6, 0], TOL, 'g0');
    expectClose(grads[1].dataSync(), [0, 0.8], TOL, 'g1');
    tf.dispose(grads);
  });

  it('leaves gradients below the limit (or with clipping off) as they are', () => {
    const g = [tf.tensor1d([3, 4])];
    expect(clipByGlobalNorm(g, 10).grads).toBe(g);
    expect(clipByGlobalNorm(g, 0).grads).toBe(g);
    tf.dispose(g);
  });
});
