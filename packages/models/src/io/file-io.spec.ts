import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { buildModels } from '../build-models';
import { loadModel, saveModel } from './file-io';
import { randomiseWeights } from '../test-helpers';

describe('saveModel / loadModel', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-models-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cfg = {
    backbone: 'tiny',
    inputShape: [16, 16, 3] as [number, number, number],
    embeddingDim: 6,
    backboneOptions: { widths: [4, 8] },
    head: 'GroupAware',
    groupFace: { numGroups: 3, intermediateDim: 5 },
    gnapMean: 'batch' as const,
    seed: 4,
  };
  const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 7);

  it('round-trips every custom layer: identical outputs after reload (embedding and train models)', async () => {
    const m = buildModels(cfg);
    randomiseWeights(m.train, 100);
    for (const model of [m.embedding, m.train]) {
      const target = path.join(dir, model.name);
      await saveModel(model, target);
      expect(fs.readdirSync(target).sort()).toEqual(['model.json', 'weights.bin']);
      const loaded = await loadModel(target);
      const a = ([] as tf.Tensor[]).concat(model.predict(x) as tf.Tensor | tf.Tensor[]);
      const b = ([] as tf.Tensor[]).concat(loaded.predict(x) as tf.Tensor | tf.Tensor[]);
      expect(b.length).toBe(a.length);
      a.forEach((t, i) => expect(Array.from(b[i].dataSync())).toEqual(Array.from(t.dataSync())));
      const classes = loaded.layers.map((l) => l.getClassName());
      expect(classes).toEqual(expect.arrayContaining(['NormAwareReweight', 'GroupWeightedSum', 'ScalelessBatchNormalization', 'Rescaling']));
      expect(loaded.getLayer('gnap_reweight').getConfig()).toMatchObject({ mean: 'batch' });
    }
  });

  it('replaces an existing directory atomically and leaves no temporary directory behind', async () => {
    const target = path.join(dir, 'model');
    const a = buildModels({ ...cfg, head: undefined, seed: 1 }).embedding;
    const b = buildModels({ ...cfg, head: undefined, seed: 2 }).embedding;
    await saveModel(a, target);
    await saveModel(b, target);
    expect(fs.readdirSync(dir)).toEqual(['model']);
    const loaded = await loadModel(target);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((b.predict(x) as tf.Tensor).dataSync()));
  });

  it('fails naming the file when there is no model or its weights are short', async () => {
    await expect(loadModel(path.join(dir, 'nothing'))).rejects.toThrow(/nothing.model\.json: loadModel: no such file/);
    const target = path.join(dir, 'model');
    await saveModel(buildModels({ ...cfg, head: undefined }).embedding, target);
    fs.writeFileSync(path.join(target, 'weights.bin'), Buffer.alloc(8));
    await expect(loadModel(target)).rejects.toThrow(/weights: 8 bytes, the manifest needs/);
  });
});
