import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { buildModels } from './build-models';
import { regularizationLoss } from './regularization';

function sumSquares(model: tf.LayersModel, layerFilter: (l: tf.layers.Layer) => boolean): number {
  let s = 0;
  for (const l of model.layers.filter(layerFilter)) {
    const kernel = l.getWeights()[0];
    s += tf.sum(tf.square(kernel)).dataSync()[0];
  }
  return s;
}

describe('regularizationLoss', () => {
  const base = { backbone: 'tiny', inputShape: [16, 16, 3] as [number, number, number], embeddingDim: 4, backboneOptions: { widths: [4] }, seed: 1 };

  it("scope 'embedding' (default): wd * sum(w^2) over the embedding Dense kernel", () => {
    const m = buildModels({ ...base, weightDecay: 1e-2 }).embedding;
    const expected = 1e-2 * sumSquares(m, (l) => l.name === 'embedding_dense');
    expectClose(regularizationLoss(m).dataSync(), [expected], { atol: 1e-8, rtol: 1e-5 });
  });

  it("scope 'all': over every Conv2D and Dense kernel", () => {
    const m = buildModels({ ...base, weightDecay: 1e-2, weightDecayScope: 'all' }).embedding;
    const kinds = new Set(['Conv2D', 'Dense']);
    const expected = 1e-2 * sumSquares(m, (l) => kinds.has(l.getClassName()));
    expectClose(regularizationLoss(m).dataSync(), [expected], { atol: 1e-8, rtol: 1e-5 });
  });

  it('GroupAware: includes the GroupFace Dense kernels; weightDecay 0 gives 0', () => {
    const m = buildModels({ ...base, head: 'GroupAware', groupFace: { numGroups: 2, intermediateDim: 3 }, weightDecay: 1e-3 }).train;
    const expected = 1e-3 * sumSquares(m, (l) => l.getClassName() === 'Dense');
    expectClose(regularizationLoss(m).dataSync(), [expected], { atol: 1e-8, rtol: 1e-5 });
    expect(regularizationLoss(buildModels({ ...base, weightDecay: 0 }).embedding).dataSync()[0]).toBe(0);
  });

  it('is differentiable with respect to the kernels (2 * wd * w)', () => {
    const m = buildModels({ ...base, weightDecay: 1e-2 }).embedding;
    const kernel = m.getLayer('embedding_dense').trainableWeights[0].read() as tf.Variable;
    const { grads } = tf.variableGrads(() => regularizationLoss(m), [kernel]);
    expectClose(grads[kernel.name].dataSync(), tf.mul(kernel, 2e-2).dataSync(), { atol: 1e-7, rtol: 1e-5 });
  });
});
