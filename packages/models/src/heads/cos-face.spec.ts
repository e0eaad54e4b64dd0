import * as tf from '@tensorflow/tfjs';
import { checkHeadCase, headCases, headGradCheck, randomInputs, withHead } from '../test-helpers';

describe('CosFace', () => {
  const { cases, tolerance } = headCases('CosFace');

  it.each(cases.map((c) => [c.name, c] as const))('matches the hand-derived fixture: %s', (_, c) => {
    checkHeadCase(c, tolerance);
  });

  it('has gradients that match central finite differences', () => {
    withHead('CosFace', { scale: 4, margin: 0.2 }, { numClasses: 3, embeddingDim: 4, seed: 5 }, (head) => {
      headGradCheck(head, [randomInputs(3, 4, 12)], tf.tensor1d([2, 0, 1], 'int32'), { atol: 2e-3, rtol: 3e-2 });
    });
  });
});
