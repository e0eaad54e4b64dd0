/**
 * The training config: a JSON file whose keys mirror the Python FFEM `train/config.py`, so its
 * users can carry their settings over, plus the keys this port adds (seed, output_dir, ...).
 * Unknown keys and wrong types are errors naming the key (`parseConfig`); every derived value is
 * computed in one place (`resolveConfig`), printed and saved with the run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';

const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();
const posNum = z.number().positive();

/** Parameters of the original's three losses; names and defaults as in FFEM `train/config.py`. */
const softmaxCenterParams = z.strictObject({
  scale: posNum.default(30),
  center_loss_weight: z.number().nonnegative().default(1e-3),
});
const angularMarginParams = z.strictObject({
  scale: posNum.default(60),
  margin: z.number().nonnegative().default(0.5),
});
const groupAwareParams = z.strictObject({
  scale: posNum.default(60),
  margin: z.number().nonnegative().default(0.5),
  num_groups: posInt.default(4),
  /** Spelled as in the original (sic). */
  intermidiate_dim: posInt.default(256),
  group_loss_weight: z.number().nonnegative().default(0.1),
});

/** Strict schemas of the known losses' parameters; heads added later take a free-form object. */
export const LOSS_PARAM_SCHEMAS: Record<string, z.ZodType<Record<string, unknown>>> = {
  SoftmaxCenter: softmaxCenterParams,
  AngularMargin: angularMarginParams,
  GroupAware: groupAwareParams,
};

/** Keys the original had for features this port does not have: accepted only switched off. */
const legacyOff = z.literal(false, { error: 'is not supported by FFEM-TS; set it to false or remove it' });

export const configSchema = z.strictObject({
  // ---- keys of the Python original -----------------------------------------------------------
  /** Name of the run: outputs go to `<output_dir>/<model_name>/`. */
  model_name: z.string().min(1).regex(/^[^/\\]+$/, 'must be a plain name (no path separators)'),
  /** A saved backbone (`saveModel` folder): restores only the backbone's weights (stage 2). */
  saved_backbone: z.string().default(''),
  /** A checkpoint folder (or a run's `checkpoints/` folder): restores everything. */
  checkpoint: z.string().default(''),
  /** Images per micro-batch. */
  batch_size: posInt,
  /** Micro-batches whose gradients are averaged before one optimizer step. */
  num_grad_accum: posInt.default(1),
  /** [height, width, channels]; channels must be 3 (RGB). */
  shape: z.tuple([posInt, posInt, z.literal(3)]).default([112, 112, 3]),
  /** Backbone: a name of `listBackbones()` (@ffem/models) or the original's ResNet50/ResNet34/ResNet18. */
  model: z.string().min(1).default('ResNet50'),
  embedding_dim: posInt.default(512),
  /** Head / loss name: SoftmaxCenter | AngularMargin | GroupAware, or a newer head's name. */
  loss: z.string().min(1).default('AngularMargin'),
  /** Parameters per loss name; only the chosen loss's entry is used. */
  loss_param: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  eval: z
    .strictObject({
      metric: z.enum(['cos', 'l2']).default('cos'),
      recall: z.array(posInt).min(1).default([1]),
    })
    .default({ metric: 'cos', recall: [1] }),
  optimizer: z.enum(['SGD', 'Adam', 'AdamW']).default('AdamW'),
  epoch: posInt,
  lr: posNum,
  /** true: exponential staircase decay; false: reduce-on-plateau on recall@1. */
  lr_decay: z.boolean().default(false),
  lr_decay_steps: posInt.default(10000),
  lr_decay_rate: posNum.default(0.9),
  /** One TFRecord shard or several. */
  train_file: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  test_files: z.union([z.string().min(1), z.array(z.string().min(1))]).default([]),
  /** Number of identities (classes) in the training set: labels are 0..num_identity-1. */
  num_identity: posInt,
  mixed_precision: legacyOff.optional(),
  enable_prune: legacyOff.optional(),
  prune_params: z.record(z.string(), z.unknown()).optional(),
  enable_quant_aware: legacyOff.optional(),

  // ---- keys FFEM-TS adds -----------------------------------------------------------------------
  /** Seeds weights, data order, augmentation and dropout: same seed, same run. */
  seed: nonNegInt.default(0),
  /** Runs are written to `<output_dir>/<model_name>/`. */
  output_dir: z.string().min(1).default('runs'),
  backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  /** Pooling of the last feature map: Global Norm-Aware Pooling (the original's) or plain average. */
  pooling: z.enum(['gnap', 'gap']).default('gnap'),
  /** GNAP's mean feature norm per image (an embedding never depends on its batch) or per batch (the original). */
  gnap_mean: z.enum(['image', 'batch']).default('image'),
  /** Options of the backbone builder, e.g. for 'tiny': { "widths": [8, 16], "blocks": [1, 1] }. */
  backbone_options: z.record(z.string(), z.unknown()).default({}),
  /** L2 regularisation of the model's kernels, added to the loss (Keras kernel_regularizer). */
  weight_decay: z.number().nonnegative().default(5e-4),
  /** Which kernels carry it: the embedding layers (the original) or every Conv2D/Dense kernel. */
  weight_decay_scope: z.enum(['embedding', 'all']).default('embedding'),
  /** AdamW's decoupled weight decay (tfa.optimizers.AdamW(weight_decay=1e-4) in the original). */
  adamw_weight_decay: z.number().nonnegative().default(1e-4),
  /** Clip the accumulated gradient to this global norm; 0 = no clipping (the original had none). */
  grad_clip_norm: z.number().nonnegative().default(0),
  /** Also checkpoint every N optimizer steps (besides every epoch end); 0 = epoch ends only. */
  checkpoint_every: nonNegInt.default(0),
  /** Log a metrics line (JSONL + TensorBoard) every N optimizer steps. */
  log_every: posInt.default(10),
  /** Limit an epoch to N optimizer steps (quick runs); 0 = the whole training file. */
  steps_per_epoch: nonNegInt.default(0),
  /** Early stopping: epochs without a better recall@1 before stopping (original: 7). */
  early_stopping_patience: posInt.default(7),
  /** Reduce-on-plateau: factor, patience (epochs) and floor (original: patience 2, min_lr 1e-4). */
  plateau_factor: z.number().positive().lt(1).default(0.5),
  plateau_patience: posInt.default(2),
  plateau_min_lr: z.number().nonnegative().default(1e-4),
  /** Random crops/flips/colour of the data package while training. */
  augment: z.boolean().default(true),
  shuffle_buffer: posInt.default(1024),
  /** Decode workers of the input pipeline; 0 = decode on the main thread. */
  workers: nonNegInt.default(2),
  /** Batch size for embedding the test files (defaults to batch_size). */
  eval_batch_size: posInt.optional(),
  /** Non-finite loss or a spike: how many restores (each halving the lr) before giving up. */
  max_recoveries: nonNegInt.default(5),
  /** A loss above this multiple of its running mean counts as a spike; 0 = only NaN/Inf. */
  loss_spike_factor: z.number().nonnegative().default(10),
});

/** The config as written in the file, defaults filled in. */
export type TrainConfig = z.infer<typeof configSchema>;

function formatIssue(file: string, issue: z.core.$ZodIssue): string {
  const where = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (where ? `${where}.${k}` : k));
    return `${file}: ${keys.join(', ')}: unknown key${keys.length > 1 ? 's' : ''}`;
  }
  const msg = / received undefined$/.test(issue.message) ? 'required key is missing' : issue.message;
  return `${file}: ${where || '(root)'}: ${msg}`;
}

/**
 * Validates a parsed JSON value. Throws `Error('<file>: <key>: <what is wrong>')` naming the first
 * offending key (unknown keys, wrong types, out-of-range values, bad loss parameters).
 */
export function parseConfig(json: unknown, file = '<config>'): TrainConfig {
  const r = configSchema.safeParse(json);
  if (!r.success) throw new Error(formatIssue(file, r.error.issues[0]));
  const cfg = r.data;
  for (const [loss, params] of Object.entries(cfg.loss_param)) {
    const schema = LOSS_PARAM_SCHEMAS[loss];
    if (!schema) continue;
    const p = schema.safeParse(params);
    if (!p.success) {
      const issue = p.error.issues[0];
      throw new Error(formatIssue(file, { ...issue, path: ['loss_param', loss, ...issue.path] }));
    }
  }
  return cfg;
}

/** Reads and validates a JSON config file. */
export function loadConfig(file: string): TrainConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  return parseConfig(json, file);
}

/** Everything the run derives from the config, computed here and nowhere else. */
export interface ResolvedConfig {
  config: TrainConfig;
  /** `<output_dir>/<model_name>`. */
  runDir: string;
  checkpointDir: string;
  tensorboardDir: string;
  metricsFile: string;
  /** Where the inference model and the backbone are saved at the end. */
  modelDir: string;
  backboneDir: string;
  trainFiles: string[];
  testFiles: string[];
  height: number;
  width: number;
  /** batch_size x num_grad_accum: images per optimizer step. */
  effectiveBatch: number;
  evalBatchSize: number;
  /** The chosen loss's parameters, defaults filled in. */
  lossParams: Record<string, unknown>;
  /** exponential when lr_decay; else reduce-on-plateau on recall@1, or constant without test files. */
  lrSchedule: 'constant' | 'exponential' | 'plateau';
}

/** Computes every derived value of a config (paths, batch sizes, loss parameters, schedule). */
export function resolveConfig(config: TrainConfig): ResolvedConfig {
  const runDir = path.join(config.output_dir, config.model_name);
  const given = config.loss_param[config.loss] ?? {};
  const schema = LOSS_PARAM_SCHEMAS[config.loss];
  const lossParams = schema ? schema.parse(given) : { ...given };
  const asList = (x: string | string[]) => (Array.isArray(x) ? [...x] : [x]);
  const testFiles = asList(config.test_files);
  return {
    config,
    runDir,
    checkpointDir: path.join(runDir, 'checkpoints'),
    tensorboardDir: path.join(runDir, 'tensorboard'),
    metricsFile: path.join(runDir, 'metrics.jsonl'),
    modelDir: path.join(runDir, 'model'),
    backboneDir: path.join(runDir, 'backbone'),
    trainFiles: asList(config.train_file),
    testFiles,
    height: config.shape[0],
    width: config.shape[1],
    effectiveBatch: config.batch_size * config.num_grad_accum,
    evalBatchSize: config.eval_batch_size ?? config.batch_size,
    lossParams,
    lrSchedule: config.lr_decay ? 'exponential' : testFiles.length > 0 ? 'plateau' : 'constant',
  };
}

/** The resolved config as printed at start-up and saved as `<run>/config.json`. */
export function describeResolved(r: ResolvedConfig): Record<string, unknown> {
  const { config, ...derived } = r;
  return { config, derived };
}
