/**
 * Every training head of @ffem/models trains on the wasm backend (with this package's kernels):
 * loss and the gradient of every trainable weight (backbone, GNAP, embedding/GroupFace, head
 * variables) of one step equal the cpu backend's. A kernel missing on wasm fails here by name.
 */
import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { initBackend } from '@ffem/backend';
import { buildModels } from '../build-models';
import { regularizationLoss } from '../regularization';
import { createHead, listHeads } from './registry';

const NUM_CLASSES = 5;
const EMBEDDING_DIM = 8;
const GROUP_FACE = { numGroups: 2, intermediateDim: 4 };

/** Loss and every variable gradient of one step on the active backend. */
async function step(vars: tf.Variable[], loss: () => tf.Scalar): Promise<Record<string, Float32Array>> {
  const { value, grads } = tf.variableGrads(loss, vars);
  const out: Record<string, Float32Array> = { loss: (await value.data()) as Float32Array };
  for (const [name, g] of Object.entries(grads)) out[name] = (await g.data()) as Float32Array;
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

describe('every head trains on wasm as on cpu (loss + all gradients of one step)', () => {
  beforeAll(async () => {
    await initBackend('wasm', null);
  });

  it('covers every registered head', () => {
    expect(listHeads().length).toBeGreaterThanOrEqual(6);
    expect(listHeads()).toContain('SoftmaxCenter');
  });

  it.each(listHeads())('%s', async (name) => {
    await tf.setBackend('cpu');
    const models = buildModels({
      backbone: 'tiny',
      inputShape: [16, 16, 3],
      embeddingDim: EMBEDDING_DIM,
      backboneOptions: { widths: [4, 8], stemStride: 2 },
      head: name,
      groupFace: GROUP_FACE,
      seed: 11,
    });
    const params = name === 'GroupAware' ? GROUP_FACE : {};
    const head = createHead(name, params, { numClasses: NUM_CLASSES, embeddingDim: EMBEDDING_DIM, seed: 12 });
    try {
      const vars = [...models.train.trainableWeights.map((w) => w.read() as tf.Variable), ...head.variables];
      // Repeated labels: the gather in the center loss accumulates (UnsortedSegmentSum).
      const labelValues = [0, 3, 3, 1, 4, 0];
      const loss = (): tf.Scalar =>
        tf.tidy(() => {
          const x = tf.randomUniform([labelValues.length, 16, 16, 3], 0, 1, 'float32', 21);
          const labels = tf.tensor1d(labelValues, 'int32');
          const outputs = ([] as tf.Tensor[]).concat(models.train.apply(x, { training: true }) as tf.Tensor | tf.Tensor[]);
          return tf.add(head.compute(outputs, labels).loss, regularizationLoss(models.train)) as tf.Scalar;
        });
      const expected = await step(vars, loss);
      await tf.setBackend('wasm');
      const actual = await step(vars, loss);
      expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
      expect(Object.keys(actual).length).toBe(vars.length + 1);
      for (const v of head.variables) expect(Array.from(actual[v.name]).some((g) => g !== 0)).toBe(true);
      // Float32 sums in other orders through the backbone (batch-norm gradients cancel): 2e-3
      // relative, plus a floor of 1e-4 of the tensor's largest gradient (measured: <= 1e-5 of it)
      // and 1e-5 absolute (gradients that are 0 in exact arithmetic, e.g. a bias before a batch
      // norm, come out as float noise up to ~2e-6 on both backends).
      for (const key of Object.keys(expected)) {
        const scale = expected[key].reduce((m, e) => Math.max(m, Math.abs(e)), 0);
        expectClose(actual[key], expected[key], { atol: Math.max(1e-5, 1e-4 * scale), rtol: 2e-3 }, `${name}: ${key}`);
      }
    } finally {
      head.dispose();
      models.train.dispose();
    }
  });
});
