/**
 * The pieces together as the training loop uses them: train model (training mode) -> head ->
 * loss + regularizationLoss, gradients for every trainable weight and head variable.
 */
import * as tf from '@tensorflow/tfjs';
import { buildModels } from './build-models';
import { createHead, listHeads } from './heads/registry';
import { regularizationLoss } from './regularization';

describe('a training step through model and head', () => {
  const x = tf.randomUniform([4, 8, 8, 3], 0, 1, 'float32', 1);
  const labels = tf.tensor1d([0, 1, 2, 1], 'int32');

  it.each(listHeads())('%s: finite gradients for every trainable weight, and a gradient step lowers the loss by lr·|g|²', (name) => {
    const models = buildModels({
      backbone: 'tiny',
      inputShape: [8, 8, 3],
      embeddingDim: 8,
      backboneOptions: { widths: [4] },
      head: name,
      groupFace: { numGroups: 2, intermediateDim: 4 },
      seed: 3,
    });
    const head = createHead(name, { scale: 8 }, { numClasses: 3, embeddingDim: 8, seed: 4 });
    try {
      const vars = [...models.train.trainableWeights.map((w) => w.read() as tf.Variable), ...head.variables];
      const lossFn = () =>
        tf.tidy(() => {
          const outputs = ([] as tf.Tensor[]).concat(models.train.apply(x, { training: true }) as tf.Tensor | tf.Tensor[]);
          return tf.add(head.compute(outputs, labels).loss, regularizationLoss(models.train)) as tf.Scalar;
        });
      const { value, grads } = tf.variableGrads(lossFn, vars);
      for (const v of vars) {
        const g = grads[v.name];
        expect(g).toBeDefined();
        expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
      }
      // A small gradient step lowers the loss by about lr * |g|^2 (first order): the gradients
      // of the whole chain (backbone, GNAP, embedding/GroupFace, head, weight decay) are right.
      const lr = 1e-4;
      const g2 = vars.reduce((acc, v) => acc + tf.sum(tf.square(grads[v.name])).dataSync()[0], 0);
      const before = value.dataSync()[0];
      vars.forEach((v) => v.assign(tf.sub(v, tf.mul(grads[v.name], lr))));
      const decrease = before - lossFn().dataSync()[0];
      expect(decrease).toBeGreaterThan(0.7 * lr * g2);
      expect(decrease).toBeLessThan(1.3 * lr * g2);
    } finally {
      head.dispose();
    }
  });
});
