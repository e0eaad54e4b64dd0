/**
 * The end-to-end check with a real exported model: a small `@ffem/models` network, exported by
 * `@ffem/export`, evaluated here; every embedding must equal tfjs's prediction on the same crop.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@ffem/backend';
import { loadFaceCrop } from '@ffem/data';
import { exportToOnnx } from '@ffem/export';
import { buildModels } from '@ffem/models';
import { expectClose, sharedData } from '@ffem/testing';
import { encodeFaceRecord, TFRecordWriter } from '@ffem/tfrecord';
import { evaluate } from './evaluate';
import { l2Normalize } from './neighbors';

const H = 32;
const D = 16;

let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-evaluate-export-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it('evaluates an @ffem/export model and reproduces tfjs embeddings', async () => {
  await initBackend('cpu', null);
  const models = buildModels({ backbone: 'tiny', inputShape: [H, H, 3], embeddingDim: D, pooling: 'gap', seed: 3 });
  const modelFile = path.join(tmp, 'tiny.onnx');
  fs.writeFileSync(modelFile, exportToOnnx(models.embedding));
  // Eight LFW images of four people, as one face TFRecord.
  const dir = sharedData('lfw-deepfunneled-dev');
  const list = JSON.parse(fs.readFileSync(path.join(dir, 'image_list.json'), 'utf8')) as Record<string, { label: number; x1: number; y1: number; x2: number; y2: number }>;
  const keys = Object.keys(list).slice(0, 8);
  const file = path.join(tmp, 'lfw.tfrecord');
  const w = await TFRecordWriter.open(file);
  for (const k of keys) await w.write(encodeFaceRecord({ jpeg: fs.readFileSync(path.join(dir, k)), ...list[k] }));
  await w.close();

  const r = await evaluate({ model: modelFile, test: [file], recall: [1], provider: 'cpu', batchSize: 3 });
  expect(r.report.model.metadata.input_size).toBe(`${H}x${H}`);
  expect(r.report.model.input).toMatchObject({ height: H, width: H, layout: 'NHWC' });
  expect(r.report.subsets[0].images).toBe(8);

  const crops = await Promise.all(keys.map((k) => loadFaceCrop(fs.readFileSync(path.join(dir, k)), list[k], H, H)));
  const x = tf.tensor4d(Float32Array.from(crops.flatMap((c) => Array.from(c))), [8, H, H, 3]);
  const y = models.embedding.predict(x) as tf.Tensor;
  const expected = l2Normalize(y.dataSync() as Float32Array, D);
  tf.dispose([x, y]);
  expectClose(r.embeddings, expected, { atol: 1e-4, rtol: 1e-3 }, 'embeddings vs tfjs');
});
