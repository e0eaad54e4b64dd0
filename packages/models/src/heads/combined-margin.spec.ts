import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { checkHeadCase, headCases, headGradCheck, randomInputs, withHead } from '../test-helpers';

describe('CombinedMargin (m1, m2, m3)', () => {
  const { cases, tolerance } = headCases('CombinedMargin');

  it.each(cases.map((c) => [c.name, c] as const))('matches the hand-derived fixture: %s', (_, c) => {
    checkHeadCase(c, tolerance);
  });

  /** Logits of a head with the given centres on the given embeddings. */
  function logitsOf(name: string, params: Record<string, number>, centres: tf.Tensor, e: tf.Tensor, labels: tf.Tensor1D): Float32Array {
    return withHead(name, params, { numClasses: 4, embeddingDim: 3 }, (h) => {
      h.variables[0].assign(centres);
      return h.compute([e], labels).logits.dataSync() as Float32Array;
    });
  }

  const centres = tf.randomNormal([3, 4], 0, 1, 'float32', 21);
  // Row 3 is anti-aligned with its class centre: the ArcFace fallback branch.
  const e = tf.concat([tf.randomNormal([3, 3], 0, 1, 'float32', 22), tf.neg(tf.reshape(tf.slice(centres, [0, 1], [3, 1]), [1, 3]))]);
  const labels = tf.tensor1d([0, 3, 2, 1], 'int32');
  const tol = { atol: 2e-4, rtol: 1e-4 };

  it('(1, m, 0) equals AngularMargin, fallback included', () => {
    expectClose(
      logitsOf('CombinedMargin', { scale: 64, m1: 1, m2: 0.5, m3: 0 }, centres, e, labels),
      logitsOf('AngularMargin', { scale: 64, margin: 0.5 }, centres, e, labels),
      tol,
    );
  });

  it('(1, 0, m) equals CosFace', () => {
    expectClose(
      logitsOf('CombinedMargin', { scale: 64, m1: 1, m2: 0, m3: 0.35 }, centres, e, labels),
      logitsOf('CosFace', { scale: 64, margin: 0.35 }, centres, e, labels),
      tol,
    );
  });

  it('has gradients that match central finite differences', () => {
    withHead('CombinedMargin', { scale: 4, m1: 0.9, m2: 0.2, m3: 0.1 }, { numClasses: 3, embeddingDim: 4, seed: 7 }, (head) => {
      headGradCheck(head, [randomInputs(3, 4, 13)], tf.tensor1d([1, 1, 0], 'int32'), { atol: 2e-3, rtol: 3e-2 });
    });
  });
});
