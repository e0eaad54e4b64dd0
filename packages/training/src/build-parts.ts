/**
 * Builds the loop's parts from a resolved config with the real packages: models and head from
 * @ffem/models, batches from @ffem/data's pipeline, Recall@K from @ffem/evaluate.
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { createPipeline, type Pipeline } from '@ffem/data';
import { recallAtK } from '@ffem/evaluate';
import { buildModels, createHead, listBackbones, listHeads, loadModel, regularizationLoss, saveModel, type ModelConfig } from '@ffem/models';
import { resolveConfig, type ResolvedConfig, type TrainConfig } from './config';
import { copyWeights } from './copy-weights';
import type { EvalResult, TrainingParts } from './parts';

/** The original's backbone names, mapped to this port's registry. */
const BACKBONE_ALIASES: Record<string, string> = { ResNet50: 'resnet50v2', ResNet34: 'resnet34', ResNet18: 'resnet18' };

export function backboneName(model: string): string {
  const name = BACKBONE_ALIASES[model] ?? model;
  if (!listBackbones().includes(name)) {
    throw new Error(`model: unknown backbone '${model}' (known: ${[...Object.keys(BACKBONE_ALIASES), ...listBackbones()].join(', ')})`);
  }
  return name;
}

/** The original's snake_case loss parameters as the heads name them (camelCase; 'intermidiate_dim' sic). */
export function headParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    const key = k === 'intermidiate_dim' ? 'intermediateDim' : k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    out[key] = v;
  }
  return out;
}

/**
 * The models config `ffem train` builds for a training config. `params` are the config's loss
 * parameters as the heads name them (`headParams(resolveConfig(cfg).lossParams)` unless given).
 */
export function modelConfigOf(cfg: TrainConfig, params: Record<string, unknown> = headParams(resolveConfig(cfg).lossParams)): ModelConfig {
  return {
    backbone: backboneName(cfg.model),
    inputShape: cfg.shape,
    embeddingDim: cfg.embedding_dim,
    pooling: cfg.pooling,
    gnapMean: cfg.gnap_mean,
    weightDecay: cfg.weight_decay,
    weightDecayScope: cfg.weight_decay_scope,
    head: cfg.loss,
    groupFace: cfg.loss === 'GroupAware' ? { numGroups: params.numGroups as number, intermediateDim: params.intermediateDim as number } : undefined,
    backboneOptions: cfg.backbone_options,
    seed: cfg.seed,
  };
}

async function embedAll(model: tf.LayersModel, pipeline: Pipeline, dim: number): Promise<{ embeddings: Float32Array; labels: Int32Array }> {
  const chunks: Float32Array[] = [];
  const labels: number[] = [];
  for await (const b of pipeline.epoch(0)) {
    const e = tf.tidy(() => model.predict(tf.tensor4d(b.images, [b.size, b.height, b.width, 3])) as tf.Tensor);
    chunks.push((await e.data()) as Float32Array);
    e.dispose();
    labels.push(...b.labels);
  }
  const embeddings = new Float32Array(labels.length * dim);
  let at = 0;
  for (const c of chunks) {
    embeddings.set(c, at);
    at += c.length;
  }
  return { embeddings, labels: Int32Array.from(labels) };
}

/** Builds models, head, pipelines and evaluator for a run. */
export async function buildParts(resolved: ResolvedConfig, log: (line: string) => void): Promise<TrainingParts> {
  const cfg = resolved.config;
  if (!listHeads().includes(cfg.loss)) throw new Error(`loss: unknown loss '${cfg.loss}' (known: ${listHeads().join(', ')})`);
  const params = headParams(resolved.lossParams);
  const models = buildModels(modelConfigOf(cfg, params));
  if (cfg.saved_backbone) {
    const saved = await loadModel(cfg.saved_backbone);
    copyWeights(saved, models.backbone, `saved_backbone ${cfg.saved_backbone}`);
    saved.dispose();
    log(`[ffem] restored the backbone weights from ${cfg.saved_backbone}`);
  }
  // The GroupFace sizes belong to the model; the head only checks them.
  const head = createHead(cfg.loss, params, { numClasses: cfg.num_identity, embeddingDim: cfg.embedding_dim, seed: cfg.seed + 1000 });
  const train = createPipeline({
    files: resolved.trainFiles,
    batchSize: cfg.batch_size,
    height: resolved.height,
    width: resolved.width,
    augment: cfg.augment,
    shuffle: true,
    shuffleBuffer: cfg.shuffle_buffer,
    seed: cfg.seed,
    workers: cfg.workers,
    dropRemainder: true,
  });
  const tests = resolved.testFiles.map((file) => ({
    file,
    pipeline: createPipeline({
      files: [file],
      batchSize: resolved.evalBatchSize,
      height: resolved.height,
      width: resolved.width,
      augment: false,
      shuffle: false,
      seed: cfg.seed,
      workers: cfg.workers,
      dropRemainder: false,
    }),
  }));
  const evaluate = tests.length
    ? async (model: tf.LayersModel): Promise<EvalResult> => {
        const recall: Record<string, Record<number, number>> = {};
        const mean: Record<number, number> = {};
        for (const { file, pipeline } of tests) {
          const { embeddings, labels } = await embedAll(model, pipeline, cfg.embedding_dim);
          const r = recallAtK(embeddings, labels, cfg.embedding_dim, cfg.eval.recall, cfg.eval.metric);
          recall[path.basename(file)] = r;
          for (const k of cfg.eval.recall) mean[k] = (mean[k] ?? 0) + r[k] / tests.length;
        }
        return { recall, mean };
      }
    : undefined;
  return {
    trainModel: models.train,
    embeddingModel: models.embedding,
    backbone: models.backbone,
    head,
    regularization: () => regularizationLoss(models.train),
    train,
    evaluate,
    saveModel,
    dispose: async () => {
      await train.close();
      for (const t of tests) await t.pipeline.close();
      head.dispose();
      models.train.dispose();
    },
  };
}
