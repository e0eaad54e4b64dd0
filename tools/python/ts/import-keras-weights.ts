/**
 * Interop helper: carries Keras weights (written by tools/python/ffem_ref/carry.py) into an
 * @ffem/models model, saves it with saveModel, loads it back with loadModel and embeds images.
 *
 *   npx tsx tools/python/ts/import-keras-weights.ts WEIGHTS_DIR MODEL_CONFIG.json OUT_MODEL_DIR [IMAGES.bin N]
 *
 * Every layer of the built inference model that has weights must be named in WEIGHTS_DIR and
 * every named layer must exist (an Error names the first that does not). IMAGES.bin: N images
 * float32 NHWC in [0, 1] at the config's input shape; the embeddings of the reloaded model go to
 * OUT_MODEL_DIR/../embeddings.bin (float32 [N, D]). Prints {"layers", "weights", "embeddingShape"}.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { buildModels, loadModel, saveModel, type ModelConfig } from '@ffem/models';

interface Manifest {
  layers: Array<{ name: string; weights: Array<{ shape: number[]; offset: number }> }>;
}

async function main(): Promise<void> {
  const [weightsDir, configFile, outDir, imagesFile, n] = process.argv.slice(2);
  if (!weightsDir || !configFile || !outDir) {
    throw new Error('usage: import-keras-weights.ts WEIGHTS_DIR MODEL_CONFIG.json OUT_MODEL_DIR [IMAGES.bin N]');
  }
  await tf.setBackend('cpu');
  const manifest = JSON.parse(fs.readFileSync(path.join(weightsDir, 'weights.json'), 'utf8')) as Manifest;
  const bin = fs.readFileSync(path.join(weightsDir, 'weights.bin'));
  const cfg = JSON.parse(fs.readFileSync(configFile, 'utf8')) as ModelConfig;
  const { embedding } = buildModels(cfg);
  const named = new Set(manifest.layers.map((l) => l.name));
  for (const layer of embedding.layers) {
    if (layer.weights.length && !named.has(layer.name)) throw new Error(`${weightsDir}: no weights for layer '${layer.name}'`);
  }
  let count = 0;
  for (const l of manifest.layers) {
    let layer: tf.layers.Layer;
    try {
      layer = embedding.getLayer(l.name);
    } catch {
      throw new Error(`${weightsDir}: layer '${l.name}' does not exist in the ${cfg.backbone} model`);
    }
    const values = l.weights.map((w) => {
      const size = w.shape.reduce((a, b) => a * b, 1);
      const f32 = new Float32Array(bin.buffer.slice(bin.byteOffset + w.offset, bin.byteOffset + w.offset + 4 * size));
      return tf.tensor(f32, w.shape);
    });
    layer.setWeights(values);
    tf.dispose(values);
    count += values.length;
  }
  await saveModel(embedding, outDir);
  const reloaded = await loadModel(outDir);
  let embeddingShape: number[] | null = null;
  if (imagesFile) {
    const [h, w, c] = cfg.inputShape ?? [112, 112, 3];
    const buf = fs.readFileSync(imagesFile);
    const x = tf.tensor(new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length)), [Number(n), h, w, c]);
    const y = reloaded.predict(x) as tf.Tensor;
    embeddingShape = y.shape;
    fs.writeFileSync(path.join(path.dirname(path.resolve(outDir)), 'embeddings.bin'), Buffer.from(y.dataSync().buffer));
  }
  process.stdout.write(JSON.stringify({ layers: manifest.layers.length, weights: count, embeddingShape }) + '\n');
}

main().catch((e: Error) => {
  process.stderr.write(`import-keras-weights: error: ${e.message}\n`);
  process.exit(1);
});
