/**
 * What the training loop needs, as interfaces: the models, the head, the input batches, the
 * evaluator and a model saver. `train()` builds them from @ffem/models, @ffem/data and
 * @ffem/evaluate (`build-parts.ts`); tests hand the loop small ones built from tfjs layers.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Batch } from '@ffem/data';

/** One batch of the input pipeline (@ffem/data's): images float32 NHWC [size, height, width, 3] in [0, 1]. */
export type { Batch };

/** Batches by epoch; the same epoch number gives the same batches (the pipeline's seed). */
export interface BatchSource {
  epoch(epoch: number, opts?: { startBatch?: number }): AsyncIterableIterator<Batch>;
  close?(): Promise<void> | void;
}

/** The training head: train-model outputs + labels -> loss (mean over the batch) and logits. */
export interface TrainHead {
  readonly name: string;
  readonly variables: tf.Variable[];
  compute(outputs: tf.Tensor[], labels: tf.Tensor1D): { loss: tf.Scalar; logits: tf.Tensor; terms?: Record<string, tf.Scalar> };
}

/** Recall@K of one evaluation: per test file, and their mean. */
export interface EvalResult {
  recall: Record<string, Record<number, number>>;
  mean: Record<number, number>;
}

export interface TrainingParts {
  /** input -> [embedding, ...aux]; its weights (all of them) are what a checkpoint saves. */
  trainModel: tf.LayersModel;
  /** The inference model (input -> embedding), sharing layers with `trainModel`. */
  embeddingModel: tf.LayersModel;
  /** The backbone alone (saved separately at the end; target of `saved_backbone`). */
  backbone?: tf.LayersModel;
  head: TrainHead;
  /** L2 regularisation term added to the loss (inside the gradient tape). */
  regularization?: () => tf.Scalar;
  train: BatchSource;
  /** Micro-batches in one epoch, when known (for the progress bar). */
  batchesPerEpoch?: number;
  /** Recall@K on the test files with the given inference model. */
  evaluate?: (embeddingModel: tf.LayersModel) => Promise<EvalResult>;
  /** Saves a model to a folder (the models package's `saveModel`). */
  saveModel?: (model: tf.LayersModel, dir: string) => Promise<void>;
  /** Releases what the parts hold (pipelines, head variables). */
  dispose?: () => Promise<void> | void;
}
