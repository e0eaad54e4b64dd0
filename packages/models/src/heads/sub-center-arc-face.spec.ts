import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { checkHeadCase, headCases, headGradCheck, randomInputs, withHead } from '../test-helpers';

describe('SubCenterArcFace', () => {
  const { cases, tolerance } = headCases('SubCenterArcFace');

  it.each(cases.map((c) => [c.name, c] as const))('matches the hand-derived fixture: %s', (_, c) => {
    checkHeadCase(c, tolerance);
  });

  it('with one sub-centre equals AngularMargin', () => {
    const centres = tf.randomNormal([4, 3], 0, 1, 'float32', 31);
    const e = tf.randomNormal([5, 4], 0, 1, 'float32', 32);
    const labels = tf.tensor1d([0, 1, 2, 2, 0], 'int32');
    const run = (name: string, params: Record<string, number>) =>
      withHead(name, params, { numClasses: 3, embeddingDim: 4 }, (h) => {
        h.variables[0].assign(centres);
        return h.compute([e], labels).logits.dataSync();
      });
    expectClose(run('SubCenterArcFace', { scale: 64, margin: 0.5, subCenters: 1 }), run('AngularMargin', { scale: 64, margin: 0.5 }), {
      atol: 1e-5,
      rtol: 1e-5,
    });
  });

  it('has K centres per class and gradients that match central finite differences', () => {
    withHead('SubCenterArcFace', { scale: 4, margin: 0.3, subCenters: 2 }, { numClasses: 3, embeddingDim: 4, seed: 9 }, (head) => {
      expect(head.variables[0].shape).toEqual([4, 6]);
      headGradCheck(head, [randomInputs(3, 4, 14)], tf.tensor1d([0, 1, 2], 'int32'), { atol: 2e-3, rtol: 3e-2 });
    });
  });
});
