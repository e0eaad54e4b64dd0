/**
 * What the training loop of @ffem/training costs on top of the model's own work:
 * 1. ms per optimizer step of `runTraining` (lr, health check, metrics JSONL, TensorBoard event,
 *    progress off) against the peer: a bare tfjs loop (variableGrads + applyGradients) on the same
 *    small dense model, same batches, cpu backend.
 * 2. Checkpoint write/read throughput (atomic folder: fsynced weights.bin + checkpoint.json) for a
 *    ResNet50-sized state (25.6M weights + Adam's 2 moments = 307 MB) against the peer: one
 *    fs.writeFileSync / readFileSync of the same bytes.
 * Other engineers load this machine: the load average is recorded with the result.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { parseConfig, readCheckpoint, resolveConfig, runTraining, writeCheckpoint, type Batch, type BatchSource, type TrainHead } from '@ffem/training';
import { writeResult } from './machine';

const STEPS = 60;
const BATCH = 32;
const SIZE = 16;
const CLASSES = 16;

function model(): tf.LayersModel {
  const input = tf.input({ shape: [SIZE, SIZE, 3] });
  let y = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  y = tf.layers.dense({ units: 256, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.dense({ units: 64, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y });
}

let headN = 0;
function head(): TrainHead {
  const w = tf.variable(tf.randomNormal([64, CLASSES], 0, 0.1, 'float32', 3), true, `bench-head-${headN++}`);
  return {
    name: 'bench',
    variables: [w],
    compute: (outputs, labels) => {
      const logits = tf.matMul(outputs[0] as tf.Tensor2D, w);
      return { loss: tf.losses.softmaxCrossEntropy(tf.oneHot(labels, CLASSES), logits) as tf.Scalar, logits };
    },
  };
}

const per = SIZE * SIZE * 3;
const batches: Batch[] = Array.from({ length: STEPS }, (_, b) => ({
  images: Float32Array.from({ length: BATCH * per }, (_, i) => ((i * 7919 + b * 104729) % 1000) / 1000),
  labels: Int32Array.from({ length: BATCH }, (_, i) => (i + b) % CLASSES),
  size: BATCH,
  height: SIZE,
  width: SIZE,
}));
const source: BatchSource = {
  async *epoch(_e, opts = {}) {
    for (let b = opts.startBatch ?? 0; b < batches.length; b++) yield batches[b];
  },
};

async function loopMs(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-bench-loop-'));
  const resolved = resolveConfig(
    parseConfig({ model_name: 'bench', batch_size: BATCH, epoch: 1, lr: 0.01, optimizer: 'SGD', shape: [SIZE, SIZE, 3], train_file: 'mem', num_identity: CLASSES, output_dir: dir, log_every: 1 }),
  );
  const m = model();
  const t0 = process.hrtime.bigint();
  await runTraining(resolved, { trainModel: m, embeddingModel: m, head: head(), train: source }, { log: () => undefined, progress: false });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  fs.rmSync(dir, { recursive: true, force: true });
  return ms / STEPS;
}

function bareMs(): number {
  const m = model();
  const h = head();
  const vars = [...m.trainableWeights.map((w) => w.read() as tf.Variable), ...h.variables];
  const opt = tf.train.momentum(0.01, 0.9, true);
  const t0 = process.hrtime.bigint();
  for (const b of batches) {
    const { value, grads } = tf.variableGrads(() => {
      const out = m.apply(tf.tensor4d(b.images, [b.size, SIZE, SIZE, 3]), { training: true }) as tf.Tensor;
      return h.compute([out], tf.tensor1d(b.labels, 'int32')).loss;
    }, vars);
    value.dataSync();
    opt.applyGradients(vars.map((v) => ({ name: v.name, tensor: grads[v.name] })));
    tf.dispose([value, ...Object.values(grads)]);
  }
  return Number(process.hrtime.bigint() - t0) / 1e6 / STEPS;
}

function checkpointIo(): Record<string, number> {
  const n = 25_600_000;
  const tensors = ['weights', 'adam_m', 'adam_v'].map((name) => ({ name, shape: [n], dtype: 'float32' as const, data: new Float32Array(n).fill(0.5) }));
  const mb = (3 * n * 4) / 2 ** 20;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-bench-ckpt-'));
  let t = process.hrtime.bigint();
  writeCheckpoint(path.join(dir, 'ckpt'), { meta: { state: {} }, tensors: { model: tensors } });
  const writeS = Number(process.hrtime.bigint() - t) / 1e9;
  t = process.hrtime.bigint();
  readCheckpoint(path.join(dir, 'ckpt'));
  const readS = Number(process.hrtime.bigint() - t) / 1e9;
  const raw = Buffer.concat(tensors.map((x) => Buffer.from(x.data.buffer)));
  t = process.hrtime.bigint();
  fs.writeFileSync(path.join(dir, 'raw.bin'), raw);
  const rawWriteS = Number(process.hrtime.bigint() - t) / 1e9;
  t = process.hrtime.bigint();
  fs.readFileSync(path.join(dir, 'raw.bin'));
  const rawReadS = Number(process.hrtime.bigint() - t) / 1e9;
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    megabytes: +mb.toFixed(1),
    checkpointWriteMBps: +(mb / writeS).toFixed(0),
    checkpointReadMBps: +(mb / readS).toFixed(0),
    peerWriteFileMBps: +(mb / rawWriteS).toFixed(0),
    peerReadFileMBps: +(mb / rawReadS).toFixed(0),
  };
}

(async () => {
  await tf.setBackend('cpu');
  bareMs(); // warm-up
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push({ loop: await loopMs(), bare: bareMs() });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const loop = median(runs.map((r) => r.loop));
  const bare = median(runs.map((r) => r.bare));
  writeResult('train-loop', {
    peer: 'bare tfjs loop (tf.variableGrads + MomentumOptimizer.applyGradients), same model and batches; checkpoint I/O: fs.writeFileSync/readFileSync of the same bytes',
    setup: { backend: 'cpu', model: `dense ${SIZE}x${SIZE}x3 -> 256 -> 64, softmax head over ${CLASSES}`, batch: BATCH, steps: STEPS, runs: 3 },
    msPerStep: { runTraining: +loop.toFixed(2), bareLoop: +bare.toFixed(2), overheadPercent: +(((loop - bare) / bare) * 100).toFixed(1) },
    checkpointIo: checkpointIo(),
    loadavgAtEnd: os.loadavg().map((x) => +x.toFixed(2)),
  });
})();
