/**
 * Interop helper: builds a small seeded model with @ffem/models, gives its BatchNorm layers
 * non-trivial moving statistics, saves it (saveModel), exports it with @ffem/export's
 * exportModelDir (what `ffem export` runs) and dumps tfjs reference embeddings.
 *
 *   npx tsx tools/python/ts/onnx-reference.ts OUT_DIR HEAD [gnap|gap]
 *
 * HEAD: a head name (e.g. AngularMargin, GroupAware: the latter adds the GroupFace layers);
 * the pooling defaults to gnap.
 * Writes OUT_DIR/model/ (tfjs), OUT_DIR/model.onnx and OUT_DIR/reference.json
 * {inputShape, input: [...], embedding: {shape, values}} with input in [0, 1], NHWC.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { exportModelDir } from '@ffem/export';
import { buildModels, saveModel } from '@ffem/models';

async function main(): Promise<void> {
  const [outDir, head, pooling = 'gnap'] = process.argv.slice(2);
  if (!outDir || !head || (pooling !== 'gnap' && pooling !== 'gap')) throw new Error('usage: onnx-reference.ts OUT_DIR HEAD [gnap|gap]');
  await tf.setBackend('cpu');
  fs.mkdirSync(outDir, { recursive: true });
  const inputShape: [number, number, number] = [32, 32, 3];
  const { embedding } = buildModels({ backbone: 'tiny', inputShape, embeddingDim: 16, head, pooling, seed: 42 });
  // Moving statistics away from (0, 1), so the exported BatchNorms do real work.
  let k = 0;
  for (const layer of embedding.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const ws = layer.getWeights();
    const n = ws.length;
    const c = ws[n - 1].shape[0];
    const mean = tf.randomNormal([c], 0, 0.2, 'float32', 100 + k);
    const variance = tf.randomUniform([c], 0.5, 2, 'float32', 200 + k++);
    layer.setWeights([...ws.slice(0, n - 2), mean, variance]);
  }
  const modelDir = path.join(outDir, 'model');
  await saveModel(embedding, modelDir);
  const onnxFile = path.join(outDir, 'model.onnx');
  await exportModelDir(modelDir, onnxFile);
  const x = tf.randomUniform([3, ...inputShape], 0, 1, 'float32', 7);
  const y = embedding.predict(x) as tf.Tensor;
  const ref = {
    inputShape: x.shape,
    input: Array.from(x.dataSync()),
    embedding: { shape: y.shape, values: Array.from(y.dataSync()) },
  };
  fs.writeFileSync(path.join(outDir, 'reference.json'), JSON.stringify(ref));
  process.stdout.write(JSON.stringify({ onnx: onnxFile, model: modelDir }) + '\n');
}

main().catch((e: Error) => {
  process.stderr.write(`onnx-reference: error: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
