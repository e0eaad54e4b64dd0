/** The `ffem train` config the demo writes: the original's keys plus this port's, from the demo's options. */
import type { DemoOptions } from './options';

export interface DemoConfigFiles {
  trainFile: string;
  /** Validation files for model selection (empty: none; training then keeps its last weights). */
  valFiles: string[];
  numIdentity: number;
  /** Runs go to `<outputDir>/<modelName>/`. */
  outputDir: string;
  modelName: string;
}

/** Heads with a scale and a margin in the config schema; SoftmaxCenter has only a scale. */
const MARGIN_HEADS = new Set(['AngularMargin', 'CosFace', 'GroupAware']);

function lossParam(o: DemoOptions): Record<string, unknown> {
  if (o.loss === 'SoftmaxCenter') return { loss_param: { SoftmaxCenter: { scale: o.scale } } };
  if (MARGIN_HEADS.has(o.loss)) return { loss_param: { [o.loss]: { scale: o.scale, margin: o.margin } } };
  return {};
}

/** A training config (JSON object, keys of `@ffem/training`'s schema) for the demo's options. */
export function demoTrainConfig(o: DemoOptions, f: DemoConfigFiles): Record<string, unknown> {
  return {
    model_name: f.modelName,
    output_dir: f.outputDir,
    model: o.backbone,
    ...(o.backbone === 'tiny' ? { backbone_options: { widths: o.widths } } : {}),
    shape: [o.inputSize, o.inputSize, 3],
    embedding_dim: o.embeddingDim,
    loss: o.loss,
    ...lossParam(o),
    augment: o.augment,
    optimizer: o.optimizer,
    lr: o.lr,
    epoch: o.epochs,
    batch_size: o.batchSize,
    train_file: f.trainFile,
    test_files: f.valFiles,
    num_identity: f.numIdentity,
    eval: { metric: 'cos', recall: [1] },
    seed: o.seed,
    workers: o.workers,
    // Small sets: the whole training file fits the shuffle buffer.
    shuffle_buffer: 4096,
    log_every: 5,
  };
}
