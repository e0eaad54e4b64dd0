/**
 * `ffem export` on the full-size backbones (112x112, D = 512, GNAP; the GroupFace head is
 * covered by the package's tests): export time, file size fp32 / --fold-bn / --quantize int8, and the accuracy of
 * each file against tfjs (the peer: the same LayersModel run by tfjs-backend-wasm), on random
 * inputs and on LFW face crops; plus the forward time of onnxruntime-node (CPU) vs tfjs wasm.
 * BatchNorm statistics and affine parameters are set to seeded non-trivial values so the BNs
 * do real work; the other weights keep the models' own seeded initialisers.
 */
import * as os from 'os';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@ffem/backend';
import { openSession } from '@ffem/ort';
import { buildModels, type ModelConfig } from '@ffem/models';
import { exportWithReport, loadVerifyImages, verifyOnnx, type VerifyResult } from '@ffem/export';
import { sharedData } from '@ffem/testing';
import { writeResult } from './machine';

const log = (m: string) => process.stderr.write(`[export.bench] ${m}\n`);
const now = () => performance.now();
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

function nonTrivialBatchNorms(model: tf.LayersModel, seed: number): void {
  let s = seed;
  for (const w of model.weights) {
    const name = w.originalName ?? w.name;
    const c = w.shape as number[];
    const v = /moving_variance$/.test(name)
      ? tf.randomUniform(c, 0.5, 2, 'float32', s++)
      : /moving_mean$/.test(name)
        ? tf.randomNormal(c, 0, 0.2, 'float32', s++)
        : /gamma$/.test(name)
          ? tf.randomUniform(c, 0.8, 1.2, 'float32', s++)
          : /beta$/.test(name)
            ? tf.randomNormal(c, 0, 0.1, 'float32', s++)
            : null;
    if (v) {
      w.write(v);
      v.dispose();
    }
  }
}

const brief = (r: VerifyResult) => ({ maxAbsDiff: r.maxAbsDiff, relMaxDiff: r.relMaxDiff, minCosine: r.minCosine, ok: r.ok, samples: r.samples });

async function forwardMs(model: tf.LayersModel, file: Uint8Array, batch: number, runs: number): Promise<{ ortMsPerImage: number; tfjsWasmMsPerImage: number }> {
  const x = tf.randomUniform([batch, 112, 112, 3], 0, 1, 'float32', 5);
  const data = x.dataSync() as Float32Array;
  const s = await openSession(file, { provider: 'cpu' });
  await s.run(data, x.shape);
  const ort: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    await s.run(data, x.shape);
    ort.push((now() - t) / batch);
  }
  await s.release();
  tf.dispose(model.predict(x) as tf.Tensor);
  const tfjs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    const y = model.predict(x) as tf.Tensor;
    await y.data();
    y.dispose();
    tfjs.push((now() - t) / batch);
  }
  x.dispose();
  return { ortMsPerImage: +median(ort).toFixed(1), tfjsWasmMsPerImage: +median(tfjs).toFixed(1) };
}

async function main(): Promise<void> {
  const backend = await initBackend('wasm', log);
  const faces = await loadVerifyImages(sharedData('lfw-deepfunneled-dev'), 112, 112, 8);
  const cases: [string, ModelConfig][] = [
    ['resnet18-gnap', { backbone: 'resnet18', embeddingDim: 512, seed: 1 }],
    ['resnet34-gnap', { backbone: 'resnet34', embeddingDim: 512, seed: 2 }],
    ['resnet50v2-gnap', { backbone: 'resnet50v2', embeddingDim: 512, seed: 3 }],
  ];
  const results: Record<string, unknown>[] = [];
  for (const [name, cfg] of cases) {
    log(name);
    const { embedding } = buildModels(cfg);
    nonTrivialBatchNorms(embedding, 100);
    const random = tf.randomUniform([4, 112, 112, 3], 0, 1, 'float32', 9);
    const row: Record<string, unknown> = { model: name, parameters: embedding.countParams() };
    for (const [variant, opts] of [
      ['fp32', {}],
      ['fold-bn', { foldBn: true }],
      ['int8', { quantize: 'int8' as const }],
    ] as const) {
      const t = now();
      const r = exportWithReport(embedding, opts);
      const exportSeconds = +((now() - t) / 1000).toFixed(2);
      const vr = await verifyOnnx(embedding, r.bytes, random);
      const vf = await verifyOnnx(embedding, r.bytes, faces);
      row[variant] = {
        exportSeconds,
        fileMiB: +(r.bytes.length / 2 ** 20).toFixed(2),
        nodes: r.nodes,
        foldedBatchNorms: r.foldedBatchNorms,
        ...(r.quantized ? { quantizedTensors: r.quantized.tensors } : {}),
        vsTfjsRandom: brief(vr),
        vsTfjsFaceCrops: brief(vf),
      };
      log(`${name} ${variant}: ${exportSeconds}s ${(r.bytes.length / 2 ** 20).toFixed(1)} MiB, cos ${vr.minCosine} / ${vf.minCosine}`);
      if (variant === 'fold-bn') row.forward = { batch: 8, ...(await forwardMs(embedding, r.bytes, 8, 3)) };
    }
    results.push(row);
    random.dispose();
    embedding.dispose();
  }
  faces.dispose();
  writeResult('export', {
    what: 'tfjs LayersModel -> ONNX exporter (@ffem/export): time, size, parity; forward time onnxruntime-node vs tfjs',
    peer: `tfjs ${tf.version.tfjs} backend ${backend.name} running the same LayersModel (parity reference and forward-time peer)`,
    thresholds: { fp32MinCosine: 0.99999, fp32MaxRelDiff: 1e-4 },
    input: '112x112x3 NHWC in [0, 1]; random: 4 seeded uniform images; face crops: first 8 of lfw-deepfunneled-dev (image_list boxes)',
    loadavgAtEnd: os.loadavg().map((x) => +x.toFixed(2)),
    results,
  });
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
