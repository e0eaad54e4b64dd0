/**
 * `ffem evaluate` at scale:
 * 1. embeddings/s of ResNet50 @ 112x112 (+ GAP + Dense 512, exported by @ffem/export) on CPU through
 *    onnxruntime-node, model only (batch 8 and 32) and end to end (JPEG decode + crop + model, LFW);
 * 2. the peer: the same network in PyTorch CPU forward (Debian python3-torch, 2 threads), same run;
 * 3. the chunked exact search (top-5 of every row, self excluded) over 100,000 x 512 random
 *    embeddings, with peak memory, and the TypeScript search's rate for comparison.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeFileAtomic } from '@ffem/data';
import { openSession } from '@ffem/ort';
import { embedImages, l2Normalize, modelInput, nearestNeighbors, nearestNeighborsOrt, parsePairs, type FaceImage } from '@ffem/evaluate';
import { randomEmbeddings } from '../packages/evaluate/src/random';
import { sharedData } from '@ffem/testing';
import { writeResult } from './machine';

const log = (m: string) => process.stderr.write(`[evaluate.bench] ${m}\n`);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function resnet50Onnx(): Promise<{ file: string; pooling: string; exportSeconds: number | null }> {
  const file = path.join(os.tmpdir(), 'ffem-bench-resnet50v2-gap-112.onnx');
  if (fs.existsSync(file)) return { file, pooling: 'gap', exportSeconds: null };
  const { buildModels } = await import('@ffem/models');
  const { exportToOnnx } = await import('@ffem/export');
  const t = performance.now();
  const m = buildModels({ backbone: 'resnet50v2', embeddingDim: 512, pooling: 'gap', seed: 1 });
  const bytes = exportToOnnx(m.embedding, { foldBn: true });
  writeFileAtomic(file, bytes);
  return { file, pooling: 'gap', exportSeconds: (performance.now() - t) / 1000 };
}

async function ortModelOnly(file: string, batch: number, runs: number): Promise<{ batch: number; msPerImage: number[]; embeddingsPerSecond: number }> {
  const s = await openSession(file, { provider: 'cpu' });
  const x = new Float32Array(batch * 112 * 112 * 3).map((_, i) => (i % 255) / 255);
  const input = modelInput(s);
  await s.run(x, [batch, 112, 112, 3], input.inputName);
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await s.run(x, [batch, 112, 112, 3], input.inputName);
    ms.push((performance.now() - t) / batch);
  }
  await s.release();
  return { batch, msPerImage: ms.map((v) => +v.toFixed(2)), embeddingsPerSecond: +(1000 / median(ms)).toFixed(1) };
}

async function ortPipeline(file: string, images: number): Promise<Record<string, unknown>> {
  const pairsFile = sharedData('lfw-pairs-devtrain', 'pairs.txt');
  const dir = path.dirname(pairsFile);
  const paths = [...new Set(parsePairs(fs.readFileSync(pairsFile, 'utf8')).flatMap((p) => [p.a, p.b]))].slice(0, images);
  const items: FaceImage[] = paths.map((p) => ({ path: p, label: 0, box: { x1: 68, y1: 68, x2: 182, y2: 182 }, bytes: fs.readFileSync(path.join(dir, p)) }));
  const s = await openSession(file, { provider: 'cpu' });
  const e = await embedImages(s, modelInput(s), items, { batchSize: 32 });
  await s.release();
  return { images: items.length, batch: 32, seconds: +e.seconds.toFixed(2), modelSeconds: +e.modelSeconds.toFixed(2), embeddingsPerSecond: +(items.length / e.seconds).toFixed(1) };
}

function torchPeer(batch: number, runs: number): Record<string, unknown> {
  const py = '/usr/bin/python3';
  const probe = spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return { status: 'pending: python3-torch is not installed on this machine (apt-get install python3-torch)' };
  const r = spawnSync(py, [path.join(__dirname, 'peers', 'torch_resnet50_forward.py'), String(batch), String(runs)], { encoding: 'utf8' });
  if (r.status !== 0) return { status: `failed: ${r.stderr.trim().split('\n').pop()}` };
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { torch: string; threads: number; batch: number; ms_per_image: number[] };
  return {
    peer: `PyTorch ${out.torch} CPU forward, ${out.threads} threads, ResNet50 v1.5 + GAP + Linear(512) at 112x112, batch ${out.batch}, eval/no_grad (bench/peers/torch_resnet50_forward.py)`,
    msPerImage: out.ms_per_image.map((v) => +v.toFixed(2)),
    embeddingsPerSecond: +(1000 / median(out.ms_per_image)).toFixed(1),
  };
}

async function search(n: number, dim: number, k: number): Promise<Record<string, unknown>> {
  const x = l2Normalize(randomEmbeddings(n, dim, 42), dim);
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const blocks = { queries: 1024, refs: 4096 };
  const t = performance.now();
  const nb = await nearestNeighborsOrt(x, dim, k, blocks);
  const seconds = (performance.now() - t) / 1000;
  clearInterval(timer);
  if (nb.indices[0] < 0) throw new Error('search returned nothing');
  // The TypeScript search on a slice, for the rate comparison.
  const m = 2000;
  const t2 = performance.now();
  nearestNeighbors(x.subarray(0, m * dim), dim, k);
  const tsSeconds = (performance.now() - t2) / 1000;
  return {
    what: `exact top-${k} of every row among the others (self excluded), ${n} x ${dim} float32, onnxruntime Gemm + TopK per block`,
    n,
    dim,
    k,
    blocks,
    seconds: +seconds.toFixed(1),
    gmacPerSecond: +((n * n * dim) / 1e9 / seconds).toFixed(1),
    embeddingsMiB: +((x.byteLength / 2 ** 20).toFixed(0)),
    peakRssMiB: +(peak / 2 ** 20).toFixed(0),
    typescriptSearch: { n: m, seconds: +tsSeconds.toFixed(2), gmacPerSecond: +((m * m * dim) / 1e9 / tsSeconds).toFixed(2) },
  };
}

async function main(): Promise<void> {
  const loadavgAtStart = os.loadavg().map((v) => +v.toFixed(2));
  log('exporting ResNet50 (or reusing the cached export)');
  const model = await resnet50Onnx();
  log('onnxruntime model-only timing');
  const ort8 = await ortModelOnly(model.file, 8, 5);
  const ort32 = await ortModelOnly(model.file, 32, 4);
  log('onnxruntime end-to-end on LFW images');
  const pipeline = await ortPipeline(model.file, 256);
  log('PyTorch peer');
  const torch = torchPeer(32, 4);
  log('search 100,000 x 512');
  // FFEM_BENCH_SEARCH_N: a smaller search for a quick smoke run of this script.
  const s = await search(Number(process.env.FFEM_BENCH_SEARCH_N ?? 100_000), 512, 5);
  writeResult('evaluate', {
    loadavgBeforeRun: loadavgAtStart,
    loadavgAtEnd: os.loadavg().map((v) => +v.toFixed(2)),
    notes:
      'Machine shared with other engineers while measuring (see loadavg): absolute numbers are pessimistic. ' +
      'ResNet50 = @ffem/models resnet50v2 with pooling gap (GNAP has no ONNX converter yet), BN folded, opset 17.',
    embeddings: {
      model: `ResNet50 @ 112x112 -> 512 (${model.pooling}), ${(fs.statSync(model.file).size / 2 ** 20).toFixed(0)} MiB ONNX`,
      exportSeconds: model.exportSeconds,
      onnxruntimeCpu: { provider: 'cpu', threads: 'all (onnxruntime default)', batch8: ort8, batch32: ort32 },
      onnxruntimeEndToEnd: pipeline,
      pytorchCpu: torch,
    },
    search: s,
  });
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
