/**
 * The main job on real faces: an identity-disjoint split of the LFW DEV set. After training,
 * Recall@1 on the held-out people is clearly above the untrained model's, and the exported ONNX
 * model gives the same embeddings and the same Recall@1 as the tfjs model it came from.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { createPipeline } from '@ffem/data';
import { l2Normalize, readEmbeddingsDump, recallAtK } from '@ffem/evaluate';
import { loadModel } from '@ffem/models';
import { expectClose, sharedData } from '@ffem/testing';
import { main, DEMO_DEFAULTS, type DemoOptions, runDemo, type DemoRun } from '@ffem/cli';

/**
 * Measured on the 2-core development machine (wasm backend, one thread, convolutions on
 * onnxruntime), these settings, seed 0: Recall@1 on the 60 held-out people (4-5 images each) was
 * 0.2394 trained vs 0.0845 untrained (+0.155), training 87-98 s; the run is deterministic (single
 * thread; earlier kernel mixes gave 0.2077 and 0.2430). At 7 epochs the gain was +0.04 to +0.09 depending
 * on the float rounding of the kernels (0.176 with XNNPACK, 0.127-0.130 with onnxruntime): too
 * close to the bar, hence 12.
 * The test asks for +0.05: about 1.5 standard errors of a Recall@1 difference on ~290 queries.
 */
const REQUIRED_GAIN = 0.05;

const options: Partial<DemoOptions> = {
  minImages: 4,
  maxIdentities: 240,
  maxImagesPerIdentity: 5,
  testFraction: 0.25,
  valFraction: 0.08,
  inputSize: 48,
  widths: [16, 32, 64],
  embeddingDim: 64,
  epochs: 12,
  batchSize: 16,
  minutes: 0,
  workers: 1,
};

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-demo-lfw-'));
let run: DemoRun;

beforeAll(async () => {
  run = await runDemo({ ...DEMO_DEFAULTS, ...options, data: sharedData('lfw-deepfunneled-dev'), out }, () => undefined);
});

afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('npm run demo -- --data lfw-deepfunneled-dev', () => {
  it('trains to a Recall@1 on unseen people clearly above the untrained model', () => {
    const trained = run.summary.trained.recall['1'];
    const untrained = run.summary.untrained.recall['1'];
    process.stdout.write(
      `LFW DEV demo: Recall@1 trained ${trained.toFixed(4)}, untrained ${untrained.toFixed(4)}; ` +
        `${run.summary.stages.map((s) => `${s.name} ${s.seconds.toFixed(0)} s`).join(', ')}\n`,
    );
    expect(trained - untrained).toBeGreaterThanOrEqual(REQUIRED_GAIN);
    expect(run.summary.trained.verification!.accuracy).toBeGreaterThan(run.summary.untrained.verification!.accuracy);
  });

  it('the exported ONNX gives the embeddings and the Recall@1 of the tfjs model', async () => {
    const test = path.join(out, 'tfrecords', 'test.tfrecord');
    const dumpDir = path.join(out, 'onnx-embeddings');
    expect(await main(['evaluate', '--model', path.join(out, 'trained.onnx'), '--test', test, '--recall', '1', '--dump-embeddings', dumpDir])).toBe(0);
    const onnx = readEmbeddingsDump(dumpDir);

    const model = await loadModel(path.join(out, 'runs', 'demo', 'model'));
    const size = options.inputSize!;
    const pipeline = createPipeline({ files: [test], batchSize: 32, height: size, width: size, augment: false, shuffle: false, workers: 0 });
    const rows: number[] = [];
    const labels: number[] = [];
    for await (const b of pipeline.epoch(0)) {
      const e = tf.tidy(() => model.predict(tf.tensor4d(b.images, [b.size, size, size, 3])) as tf.Tensor);
      rows.push(...(await e.data()));
      e.dispose();
      labels.push(...b.labels);
    }
    await pipeline.close();
    const dim = onnx.dim;
    const tfjs = l2Normalize(Float32Array.from(rows), dim);
    expect(labels).toEqual(onnx.items.map((i) => i.label));
    let minCos = 1;
    for (let r = 0; r < labels.length; r++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += tfjs[r * dim + d] * onnx.embeddings[r * dim + d];
      minCos = Math.min(minCos, dot);
    }
    expect(minCos).toBeGreaterThan(0.99999);
    expectClose(onnx.embeddings, tfjs, { atol: 1e-4, rtol: 1e-3 });
    const recallTfjs = recallAtK(tfjs, Int32Array.from(labels), dim, [1])[1];
    // The same ranking up to a near-tie flipped by float rounding: at most one query of N.
    expect(Math.abs(recallTfjs - run.summary.trained.recall['1'])).toBeLessThanOrEqual(1 / labels.length + 1e-12);
  });
});
