import * as tf from '@tensorflow/tfjs';
import { checkHeadCase, headCases, headGradCheck, randomInputs, withHead } from '../test-helpers';

describe('AngularMargin (ArcFace)', () => {
  const { cases, tolerance } = headCases('AngularMargin');

  it.each(cases.map((c) => [c.name, c] as const))('matches the hand-derived fixture: %s', (_, c) => {
    checkHeadCase(c, tolerance);
  });

  it('uses the fallback cos θ − m·sin m where cos θ ≤ cos(π − m), and never yields NaN', () => {
    withHead('AngularMargin', { scale: 1, margin: 0.5 }, { numClasses: 2, embeddingDim: 2 }, (head) => {
      head.variables[0].assign(tf.tensor2d([[1, 0], [0, 1]]));
      // e = (-1, 0): cos to class 0 is exactly -1 (fallback); e = (1, 0): cos exactly 1 (sqrt clamp).
      const e = tf.tensor2d([[-1, 0], [1, 0]]);
      const labels = tf.tensor1d([0, 0], 'int32');
      const logits = head.compute([e], labels).logits.arraySync();
      expect(logits[0][0]).toBeCloseTo(-1 - 0.5 * Math.sin(0.5), 5);
      expect(logits[1][0]).toBeCloseTo(Math.cos(0.5), 3);
      const g = tf.grad((x: tf.Tensor) => head.compute([x], labels).loss)(e).dataSync();
      expect(Array.from(g).every(Number.isFinite)).toBe(true);
    });
  });

  it('has gradients that match central finite differences', () => {
    withHead('AngularMargin', { scale: 4, margin: 0.3 }, { numClasses: 3, embeddingDim: 4, seed: 3 }, (head) => {
      headGradCheck(head, [randomInputs(3, 4, 11)], tf.tensor1d([0, 2, 1], 'int32'), { atol: 2e-3, rtol: 3e-2 });
    });
  });

  it('names its variable stably and reports its config', () => {
    withHead('AngularMargin', {}, { numClasses: 3, embeddingDim: 4 }, (head) => {
      expect(head.variables.map((v) => v.name)).toEqual(['AngularMargin/centers']);
      expect(head.variables[0].shape).toEqual([4, 3]);
      expect(head.getConfig()).toEqual({ name: 'AngularMargin', scale: 60, margin: 0.5, numClasses: 3, embeddingDim: 4 });
    });
  });
});
