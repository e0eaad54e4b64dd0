import * as tf from '@tensorflow/tfjs';
import { checkHeadCase, headCases, headGradCheck, randomInputs, withHead } from '../test-helpers';

describe('SoftmaxCenter (L2-softmax + center loss)', () => {
  const { cases, tolerance } = headCases('SoftmaxCenter');

  it.each(cases.map((c) => [c.name, c] as const))('matches the hand-derived fixture: %s', (_, c) => {
    checkHeadCase(c, tolerance);
  });

  it('starts with biases 0.1 and names its three variables', () => {
    withHead('SoftmaxCenter', {}, { numClasses: 3, embeddingDim: 4 }, (head) => {
      expect(head.variables.map((v) => v.name)).toEqual(['SoftmaxCenter/weights', 'SoftmaxCenter/biases', 'SoftmaxCenter/centers']);
      expect(Array.from(head.variables[1].dataSync())).toEqual([0.1, 0.1, 0.1].map(Math.fround));
    });
  });

  it('has gradients that match central finite differences', () => {
    withHead('SoftmaxCenter', { scale: 4, centerLossWeight: 0.5 }, { numClasses: 3, embeddingDim: 4, seed: 15 }, (head) => {
      headGradCheck(head, [randomInputs(3, 4, 16)], tf.tensor1d([2, 2, 0], 'int32'), { atol: 2e-3, rtol: 3e-2 });
    });
  });
});
