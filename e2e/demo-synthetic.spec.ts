/**
 * The main job end to end on a tiny synthetic set: every stage through the real `ffem` entry,
 * every file where the closing table says, the untrained twin built from the same config and seed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { Report } from '@ffem/evaluate';
import { buildModels, loadModel } from '@ffem/models';
import { decodeFaceRecord, readTFRecords } from '@ffem/tfrecord';
import { loadConfig } from '@ffem/training';
import { DEMO_DEFAULTS, runDemo, type DemoRun, readImageListFile, formatSummary, modelConfigOf } from '@ffem/cli';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-demo-synth-'));
let run: DemoRun;
const logged: string[] = [];

beforeAll(async () => {
  run = await runDemo(
    {
      ...DEMO_DEFAULTS,
      out,
      identities: 16,
      imagesPerIdentity: 4,
      size: 64,
      seed: 3,
      testFraction: 0.25,
      valFraction: 0.15,
      inputSize: 32,
      widths: [8, 16],
      embeddingDim: 32,
      epochs: 2,
      batchSize: 8,
      minutes: 0,
      workers: 0,
    },
    (l) => logged.push(l),
  );
});

afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

async function records(file: string) {
  const out: { label: number; jpeg: Buffer }[] = [];
  for await (const r of readTFRecords(file)) {
    const f = decodeFaceRecord(r.data);
    out.push({ label: f.label, jpeg: Buffer.from(f.jpeg) });
  }
  return out;
}

describe('npm run demo on synthetic faces', () => {
  it('runs every stage, in order, through the real subcommands', () => {
    expect(run.summary.stages.map((s) => s.name)).toEqual([
      'prepare', 'synth', 'split',
      'generate-tfrecord (train)', 'generate-tfrecord (val)', 'generate-tfrecord (test)',
      'train', 'export (trained)', 'evaluate (trained)', 'untrained model', 'export (untrained)', 'evaluate (untrained)',
    ]);
    expect(logged).toContain(`$ npx ffem train --config ${path.join(out, 'train-config.json')}`);
    expect(run.summary.model.epochs).toBe(2);
    expect(run.summary.model.stoppedBy).toBe('run');
    // Model selection on the validation identities: one of the two epochs was kept.
    expect([1, 2]).toContain(run.summary.model.selection?.epoch);
  });

  it('splits by identity: no synthetic person in two parts, and each TFRecord holds its list', async () => {
    const folders = (p: string) => new Set(Object.keys(readImageListFile(path.join(out, 'lists', `${p}.json`))).map((k) => k.split('/')[0]));
    const [train, val, test] = ['train', 'val', 'test'].map(folders);
    expect(train.size + val.size + test.size).toBe(16);
    expect(new Set([...train, ...val, ...test]).size).toBe(16);
    expect(run.summary.split).toEqual({ train: { identities: 10, images: 40 }, val: { identities: 2, images: 8 }, test: { identities: 4, images: 16 } });
    const list = readImageListFile(path.join(out, 'lists', 'test.json'));
    const recs = await records(path.join(out, 'tfrecords', 'test.tfrecord'));
    expect(recs.map((r) => r.label)).toEqual(Object.values(list).map((e) => e.label));
    Object.keys(list).forEach((key, i) => expect(recs[i].jpeg.equals(fs.readFileSync(path.join(out, 'synth', key)))).toBe(true));
  });

  it('evaluates both models on the test identities, with the pairs file’s verification figures', () => {
    for (const which of ['trained', 'untrained']) {
      const report = JSON.parse(fs.readFileSync(path.join(out, 'eval', `${which}.json`), 'utf8')) as Report;
      expect(report.subsets[0].images).toBe(16);
      expect(report.subsets[0].identities).toBe(4);
      // 4 people x 6 matched pairs = 24: 10 folds of 2 matched + 2 mismatched.
      expect(report.verification?.pairs).toBe(40);
      expect(report.model.metadata.embedding_size).toBe('32');
      expect(fs.existsSync(path.join(out, 'eval', `${which}.roc.svg`))).toBe(true);
    }
    expect(run.summary.trained.verification).not.toBeNull();
    const text = formatSummary(run.summary);
    expect(text).toMatch(/Recall@1\s+\d\.\d{4}\s+\d\.\d{4}/);
    expect(text).toMatch(/verification accuracy \(10-fold, 40 pairs\)/);
    const summaryJson = JSON.parse(fs.readFileSync(run.summaryFile, 'utf8'));
    expect(summaryJson.trained.recall['1']).toBe(run.summary.trained.recall['1']);
  });

  it("untrained means the training config's initial weights; trained ones differ from them", async () => {
    const config = loadConfig(path.join(out, 'train-config.json'));
    const fresh = buildModels(modelConfigOf(config)).embedding;
    const untrained = await loadModel(path.join(out, 'untrained', 'model'));
    const trained = await loadModel(path.join(out, 'runs', 'demo', 'model'));
    const maxDiff = (a: tf.LayersModel, b: tf.LayersModel) =>
      Math.max(...a.getWeights().map((w, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(w, b.getWeights()[i]))).dataSync()[0])));
    expect(maxDiff(fresh, untrained)).toBe(0);
    expect(maxDiff(trained, untrained)).toBeGreaterThan(1e-3);
    for (const f of ['trained.onnx', 'untrained.onnx', 'summary.md', 'runs/demo/metrics.jsonl']) expect(fs.existsSync(path.join(out, f))).toBe(true);
  });

  it('replaces an earlier demo output but refuses a folder that is not one', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-demo-other-'));
    fs.writeFileSync(path.join(other, 'precious.txt'), 'x');
    await expect(runDemo({ ...DEMO_DEFAULTS, out: other }, () => undefined)).rejects.toThrow(/not empty and not an earlier demo's output/);
    expect(fs.existsSync(path.join(other, 'precious.txt'))).toBe(true);
    fs.rmSync(other, { recursive: true, force: true });
  });
});
