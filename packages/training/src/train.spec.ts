/**
 * `train()` end to end with the real packages on a tiny real subset: 40 LFW faces of 8 people
 * (shared lfw-deepfunneled-dev), written as a TFRecord with @ffem/tfrecord, a tiny backbone at
 * 32x32 on the cpu backend.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadModel } from '@ffem/models';
import { encodeFaceRecord, TFRecordWriter } from '@ffem/tfrecord';
import { expectClose, sharedData } from '@ffem/testing';
import { buildParts } from './build-parts';
import { parseConfig, resolveConfig } from './config';
import { readMetrics } from './metrics-log';
import { readEvents } from './tensorboard';
import { train } from './train';

let dir: string;
let recordFile: string;

/** The first 8 people (by name) with at least 5 images, 5 images each, labels 0..7. */
async function writeSubset(file: string): Promise<void> {
  const root = sharedData('lfw-deepfunneled-dev');
  const list = JSON.parse(fs.readFileSync(path.join(root, 'image_list.json'), 'utf8')) as Record<string, { label: number; x1: number; y1: number; x2: number; y2: number }>;
  const byPerson = new Map<string, string[]>();
  for (const key of Object.keys(list).sort()) {
    const person = key.split('/')[0];
    byPerson.set(person, [...(byPerson.get(person) ?? []), key]);
  }
  const people = [...byPerson.entries()].filter(([, keys]) => keys.length >= 5).slice(0, 8);
  const w = await TFRecordWriter.open(file);
  for (let label = 0; label < people.length; label++) {
    for (const key of people[label][1].slice(0, 5)) {
      const box = list[key];
      await w.write(encodeFaceRecord({ jpeg: fs.readFileSync(path.join(root, key)), label, x1: box.x1, y1: box.y1, x2: box.x2, y2: box.y2 }));
    }
  }
  await w.close();
}

function baseConfig(over: Record<string, unknown> = {}) {
  return parseConfig({
    model_name: 'lfw-tiny',
    model: 'tiny',
    backbone_options: { widths: [4, 8], blocks: [1, 1] },
    shape: [32, 32, 3],
    embedding_dim: 16,
    loss: 'SoftmaxCenter',
    optimizer: 'Adam',
    lr: 0.01,
    batch_size: 8,
    epoch: 2,
    train_file: recordFile,
    test_files: [recordFile],
    num_identity: 8,
    output_dir: dir,
    backend: 'cpu',
    augment: false,
    workers: 0,
    log_every: 1,
    seed: 1,
    ...over,
  }, 'test.json');
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-train-e2e-'));
  recordFile = path.join(dir, 'lfw40.tfrecord');
  await writeSubset(recordFile);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('train (real packages, tiny LFW subset)', () => {
  it('lowers the loss, evaluates, and writes checkpoints, metrics, TensorBoard events and the models', async () => {
    const losses: number[] = [];
    const r = await train(baseConfig(), { log: () => undefined, progress: false, hooks: { afterStep: (a) => losses.push(a.loss) } });
    expect(r.status).toBe('completed');
    expect(r.step).toBe(10); // 40 faces / 8 = 5 steps x 2 epochs
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(5))).toBeLessThan(mean(losses.slice(0, 5)));
    expect(r.bestRecall).not.toBeNull();
    expect(r.lastEval!.recall['lfw40.tfrecord'][1]).toBeGreaterThanOrEqual(0);

    const run = path.join(dir, 'lfw-tiny');
    const saved = JSON.parse(fs.readFileSync(path.join(run, 'config.json'), 'utf8'));
    expect(saved.config.model).toBe('tiny');
    expect(saved.derived.effectiveBatch).toBe(8);

    const metrics = readMetrics(path.join(run, 'metrics.jsonl'));
    expect(metrics.filter((m) => m.type === 'train')).toHaveLength(10);
    expect(metrics.filter((m) => m.type === 'eval')).toHaveLength(2);

    const tbDir = path.join(run, 'tensorboard');
    const [eventsFile] = fs.readdirSync(tbDir);
    expect(eventsFile).toMatch(/^events\.out\.tfevents\.\d+\./);
    const events = await readEvents(path.join(tbDir, eventsFile));
    expect(events[0].fileVersion).toBe('brain.Event:2');
    const tags = new Set(events.flatMap((e) => (e.scalars ?? []).map((s) => s.tag)));
    for (const t of ['train/loss', 'train/accuracy', 'train/lr', 'eval/lfw40.tfrecord/recall@1', 'eval/mean/recall@1']) expect(tags).toContain(t);
    const lossEvents = events.filter((e) => e.scalars?.some((s) => s.tag === 'train/loss'));
    expect(lossEvents.map((e) => e.step)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expectClose(lossEvents.map((e) => e.scalars!.find((s) => s.tag === 'train/loss')!.value), losses, { atol: 0, rtol: 1e-6 }, 'tb loss');

    // The inference model and the backbone load back and run.
    const model = await loadModel(r.modelDir!);
    expect(model.outputs[0].shape).toEqual([null, 16]);
    const backbone = await loadModel(r.backboneDir!);
    const y = backbone.predict(tf.zeros([1, 32, 32, 3])) as tf.Tensor;
    expect(y.shape[0]).toBe(1);
    tf.dispose([y]);
    model.dispose();
    backbone.dispose();
  }, 300_000);

  it('stage two: saved_backbone restores only the backbone weights', async () => {
    const first = path.join(dir, 'lfw-tiny', 'backbone');
    if (!fs.existsSync(first)) throw new Error(`needs the first test's backbone at ${first}`);
    const savedBackbone = await loadModel(first);
    const parts = await buildParts(resolveConfig(baseConfig({ model_name: 'stage2', loss: 'AngularMargin', saved_backbone: first, seed: 9 })), () => undefined);
    try {
      const want = savedBackbone.weights;
      parts.backbone!.weights.forEach((w, i) => expectClose(w.read().dataSync(), want[i].read().dataSync(), { atol: 0, rtol: 0 }, w.originalName));
      // The embedding layer is new (seed 9), not the first stage's.
      const fresh = parts.embeddingModel.weights.filter((w) => !parts.backbone!.weights.some((b) => b.read() === w.read()));
      expect(fresh.length).toBeGreaterThan(0);
    } finally {
      savedBackbone.dispose();
      await parts.dispose?.();
    }
  });

  it('refuses to overwrite a run, and to resume it with a changed config', async () => {
    await expect(train(baseConfig(), { log: () => undefined, progress: false })).rejects.toThrow(/a run already exists here; pass --resume/);
    await expect(train(baseConfig({ lr: 0.02 }), { resume: true, log: () => undefined, progress: false })).rejects.toThrow(/config\.json: lr: the run was started with 0\.01/);
  });
});
