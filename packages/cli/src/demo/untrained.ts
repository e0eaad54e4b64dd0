/**
 * The untrained twin of a run: the same models built from the same config and seed (as
 * `@ffem/training` builds them before the first step), saved as an inference model folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildModels, saveModel } from '@ffem/models';
import { modelConfigOf, type TrainConfig } from '@ffem/training';

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
