import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { buildModels, saveModel } from '@ffem/models';
import { sharedData } from '@ffem/testing';
import { exportModelDir } from './export-model-dir';
import { Unconvertible, metadataOf, randomizeWeights } from './spec-helpers';

type T = tf.SymbolicTensor;

describe('exportModelDir', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-export-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('exports a saved model, verified on random inputs and LFW face crops, with the config hash', async () => {
    const { embedding } = buildModels({ backbone: 'tiny', inputShape: [32, 32, 3], embeddingDim: 16, seed: 1 });
    randomizeWeights(embedding, 3, 0.1);
    const dir = path.join(tmp, 'model');
    await saveModel(embedding, dir);
    fs.writeFileSync(path.join(dir, 'config.json'), '{"backbone":"tiny"}');
    const out = path.join(tmp, 'model.onnx');
    const r = await exportModelDir(dir, out, { verify: true, verifyImages: sharedData('lfw-deepfunneled-dev') });
    expect(r.verify?.random.ok).toBe(true);
    expect(r.verify?.images?.ok).toBe(true);
    expect(r.verify?.images?.samples).toBe(8);
    const props = metadataOf(fs.readFileSync(out));
    expect(props.config_hash).toBe(`sha256:${crypto.createHash('sha256').update('{"backbone":"tiny"}').digest('hex')}`);
    expect(props.model_name).toBe('tiny_embedding');
    expect(fs.readdirSync(tmp).sort()).toEqual(['model', 'model.onnx']);
  });

  it('finds the model of a training run folder and refuses a checkpoint folder with a hint', async () => {
    const input = tf.input({ shape: [3] });
    const m = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as T });
    await saveModel(m, path.join(tmp, 'run', 'model'));
    fs.writeFileSync(path.join(tmp, 'run', 'config.json'), '{}');
    const r = await exportModelDir(path.join(tmp, 'run'), path.join(tmp, 'a.onnx'));
    expect(r.metadata.config_hash).toBe(`sha256:${crypto.createHash('sha256').update('{}').digest('hex')}`);
    fs.mkdirSync(path.join(tmp, 'ckpt'));
    fs.writeFileSync(path.join(tmp, 'ckpt', 'checkpoint.json'), '{}');
    await expect(exportModelDir(path.join(tmp, 'ckpt'), path.join(tmp, 'b.onnx'))).rejects.toThrow(/ckpt: is a training checkpoint/);
    expect(fs.existsSync(path.join(tmp, 'b.onnx'))).toBe(false);
  });

  it('writes nothing for a model with a layer that has no converter', async () => {
    const input = tf.input({ shape: [4] });
    const m = tf.model({ inputs: input, outputs: new Unconvertible({ name: 'weird' }).apply(tf.layers.dense({ units: 2 }).apply(input)) as T });
    const dir = path.join(tmp, 'model');
    await saveModel(m, dir);
    const out = path.join(tmp, 'model.onnx');
    await expect(exportModelDir(dir, out)).rejects.toThrow(/layer 'weird' \(class UnconvertibleTestLayer\)/);
    expect(fs.readdirSync(tmp)).toEqual(['model']);
  });
});
