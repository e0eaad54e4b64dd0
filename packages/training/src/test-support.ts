/**
 * Small real parts for the loop's tests (not exported from the package): a dense net on 8x8
 * images, a softmax head, and an in-memory batch source with a seeded per-epoch shuffle.
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch, BatchSource, TrainHead, TrainingParts } from './parts';
import { Rng } from './rng';

let headCounter = 0;

export interface TinyOptions {
  seed?: number;
  numClasses?: number;
  dim?: number;
  size?: number;
  /** Dropout rate after the hidden layer (draws from Math.random when training). */
  dropout?: number;
}

/** A softmax classifier head over the embedding (cross-entropy, mean over the batch). */
export function softmaxHead(dim: number, numClasses: number, seed: number): TrainHead {
  const w = tf.variable(tf.randomNormal([dim, numClasses], 0, 0.1, 'float32', seed), true, `TinySoftmax${headCounter++}/w`);
  return {
    name: 'TinySoftmax',
    variables: [w],
    compute(outputs, labels) {
      const logits = tf.matMul(outputs[0] as tf.Tensor2D, w);
      const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, numClasses), logits) as tf.Scalar;
      return { loss, logits };
    },
  };
}

/** An inference model: flatten -> dense(16, relu) [-> dropout] -> dense(dim). */
export function tinyModel(o: TinyOptions = {}): tf.LayersModel {
  const size = o.size ?? 8;
  const seed = o.seed ?? 1;
  const input = tf.input({ shape: [size, size, 3] });
  let y = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  y = tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }).apply(y) as tf.SymbolicTensor;
  if (o.dropout) y = tf.layers.dropout({ rate: o.dropout }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.dense({ units: o.dim ?? 8, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }).apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y });
}

export function tinyParts(source: BatchSource, o: TinyOptions = {}): TrainingParts {
  const model = tinyModel(o);
  const head = softmaxHead(o.dim ?? 8, o.numClasses ?? 4, (o.seed ?? 1) + 7);
  return {
    trainModel: model,
    embeddingModel: model,
    head,
    train: source,
    dispose: () => {
      model.dispose();
      tf.dispose(head.variables);
    },
  };
}

/** `n` images of `numClasses` identities: a class pattern plus noise, values in [0, 1]. */
export function makeDataset(n: number, numClasses: number, size = 8, seed = 3): { images: Float32Array; labels: Int32Array } {
  const rng = new Rng(seed);
  const per = size * size * 3;
  const patterns = Array.from({ length: numClasses }, () => Float32Array.from({ length: per }, () => rng.next()));
  const images = new Float32Array(n * per);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % numClasses;
    labels[i] = c;
    for (let j = 0; j < per; j++) images[i * per + j] = Math.min(1, Math.max(0, 0.7 * patterns[c][j] + 0.3 * rng.next()));
  }
  return { images, labels };
}

/** Batches of an in-memory dataset; each epoch is shuffled by (seed, epoch); last partial batch dropped. */
export function arraySource(data: { images: Float32Array; labels: Int32Array }, batchSize: number, size = 8, seed = 5): BatchSource {
  const per = size * size * 3;
  const n = data.labels.length;
  return {
    async *epoch(e: number, opts: { startBatch?: number } = {}): AsyncIterableIterator<Batch> {
      const order = Array.from({ length: n }, (_, i) => i);
      const rng = new Rng(seed * 1000003 + e);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (let b = opts.startBatch ?? 0; (b + 1) * batchSize <= n; b++) {
        const images = new Float32Array(batchSize * per);
        const labels = new Int32Array(batchSize);
        for (let k = 0; k < batchSize; k++) {
          const src = order[b * batchSize + k];
          images.set(data.images.subarray(src * per, (src + 1) * per), k * per);
          labels[k] = data.labels[src];
        }
        yield { images, labels, size: batchSize, height: size, width: size };
      }
    },
  };
}
