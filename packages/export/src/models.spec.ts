import * as tf from '@tensorflow/tfjs';
import { buildModels, type ModelConfig } from '@ffem/models';
import { exportToOnnx } from './export-onnx';
import { runOnnx, randomizeWeights, randomInput, PARITY_TOL } from './spec-helpers';
import { expectClose } from '@ffem/testing';

/**
 * Every backbone and head's inference path from @ffem/models, exported and run through
 * onnxruntime against tfjs (random weights with non-trivial BN statistics, small inputs).
 * resnet34 and resnet50v2 (21M / 23M parameters, same layer classes) are exported and verified
 * by bench/export.bench.ts instead, to keep this suite fast.
 */
const cases: [string, ModelConfig, number[], boolean[]][] = [
  ['tiny + GNAP', { backbone: 'tiny', inputShape: [32, 32, 3], embeddingDim: 16, seed: 1 }, [2, 32, 32, 3], [false, true]],
  ['tiny + GAP', { backbone: 'tiny', inputShape: [32, 32, 3], embeddingDim: 16, pooling: 'gap', seed: 2 }, [2, 32, 32, 3], [false, true]],
  ['tiny + GNAP batch mean', { backbone: 'tiny', inputShape: [32, 32, 3], embeddingDim: 16, gnapMean: 'batch', seed: 3 }, [3, 32, 32, 3], [false, true]],
  [
    'tiny + GroupAware',
    { backbone: 'tiny', inputShape: [32, 32, 3], embeddingDim: 16, head: 'GroupAware', groupFace: { numGroups: 3, intermediateDim: 8 }, seed: 4 },
    [2, 32, 32, 3],
    [false, true],
  ],
  ['resnet18', { backbone: 'resnet18', inputShape: [32, 32, 3], embeddingDim: 32, seed: 5 }, [1, 32, 32, 3], [true]],
];

describe('exports of @ffem/models inference models', () => {
  for (const [what, cfg, shape, folds] of cases) {
    it(`${what}: onnxruntime matches tfjs (fold-bn ${folds.join('/')})`, async () => {
      const { embedding } = buildModels(cfg);
      randomizeWeights(embedding, 11, 0.1);
      const x = randomInput(shape);
      const ref = embedding.predict(x) as tf.Tensor;
      for (const foldBn of folds) {
        const bytes = exportToOnnx(embedding, { foldBn });
        const out = await runOnnx(bytes, x);
        expect(out.embedding.dims).toEqual(ref.shape);
        // Scale-aware: embeddings of a random deep net can be large.
        const scale = Math.max(...Array.from(ref.dataSync(), Math.abs));
        expectClose(out.embedding.data, ref.dataSync() as Float32Array, { atol: PARITY_TOL.atol * scale, rtol: PARITY_TOL.rtol }, `${what} foldBn=${foldBn}`);
      }
      tf.dispose([x, ref]);
    });
  }
});
