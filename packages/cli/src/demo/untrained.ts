/**
 * The untrained twin of a run: the same models built from the same config and seed (as
 * `@ffem/training` builds them before the first step), saved as an inference model folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildModels, saveModel, type ModelConfig } from '@ffem/models';
import { backboneName, headParams, resolveConfig, type TrainConfig } from '@ffem/training';

/** The model config `ffem train` builds for a training config. */
export function modelConfigOf(cfg: TrainConfig): ModelConfig {
  const params = headParams(resolveConfig(cfg).lossParams);
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

/**
 * Builds the inference model of `cfg` with its initial weights and saves it to `<dir>/model`
 * (the config beside it as `<dir>/config.json`, so the export hashes it). Returns the model folder.
 */
export async function saveUntrainedModel(cfg: TrainConfig, dir: string): Promise<string> {
  const models = buildModels(modelConfigOf(cfg));
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'config.json'), `${JSON.stringify({ config: cfg, untrained: true }, null, 2)}\n`);
    const modelDir = path.join(dir, 'model');
    await saveModel(models.embedding, modelDir);
    return modelDir;
  } finally {
    // The three models share their layers: disposing one frees the weights (as ffem train does).
    models.train.dispose();
  }
}
