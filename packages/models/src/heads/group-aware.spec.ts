import * as tf from '@tensorflow/tfjs';
import { groupLabels } from './group-aware';
import { checkHeadCase, headCases, headGradCheck, randomInputs, tensor, withHead } from '../test-helpers';

describe('GroupAware (GroupFace)', () => {
  const { cases, tolerance } = headCases('GroupAware');

  it.each(cases.map((c) => [c.name, c] as const))('matches the hand-derived fixture: %s', (_, c) => {
    checkHeadCase(c, tolerance);
    expect(Array.from(groupLabels(tensor(c.outputs[1]) as tf.Tensor2D).dataSync())).toEqual(c.expected.groupLabels);
  });

  it('self-distributes group labels against the batch mean, not the raw argmax', () => {
    // Every row prefers group 0, but row 1 is the one most above the batch mean on group 1.
    const p = tf.tensor2d([[0.6, 0.3, 0.1], [0.5, 0.45, 0.05], [0.7, 0.2, 0.1]]);
    expect(Array.from(groupLabels(p).dataSync())).toEqual([2, 1, 0]);
  });

  it('takes K from the probabilities unless numGroups is given, and then checks it', () => {
    const e = randomInputs(2, 4, 40);
    const labels = tf.tensor1d([0, 1], 'int32');
    const p3 = tf.softmax(randomInputs(2, 3, 41)) as tf.Tensor2D;
    withHead('GroupAware', {}, { numClasses: 2, embeddingDim: 4 }, (head) => {
      expect(Object.keys(head.compute([e, p3], labels).terms).sort()).toEqual(['ce', 'group']);
      expect(() => head.compute([e], labels)).toThrow(/outputs\[1\]/);
    });
    withHead('GroupAware', { numGroups: 4 }, { numClasses: 2, embeddingDim: 4 }, (head) => {
      expect(() => head.compute([e, p3], labels)).toThrow(/\[N, 4\]/);
    });
  });

  it('has gradients (embedding, centres and group probabilities) that match central finite differences', () => {
    withHead('GroupAware', { scale: 4, margin: 0.3, groupLossWeight: 0.5 }, { numClasses: 3, embeddingDim: 4, seed: 17 }, (head) => {
      const labels = tf.tensor1d([0, 2, 1], 'int32');
      // Well-separated probabilities so that no group label flips inside ±eps.
      const p = tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]]);
      const e = randomInputs(3, 4, 18);
      headGradCheck(head, [e, p], labels, { atol: 2e-3, rtol: 3e-2 });
    });
  });
});
