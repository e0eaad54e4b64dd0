import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { readCheckpoint } from './checkpoint';
import { parseConfig, resolveConfig } from './config';
import { readMetrics } from './metrics-log';
import type { EvalResult, TrainingParts } from './parts';
import { arraySource, makeDataset, tinyParts } from './test-support';
import { runTraining, type LoopHooks } from './trainer';

const EXACT = { atol: 0, rtol: 0 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tmpRun(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-train-'));
  made.push(d);
  return d;
}

function config(outputDir: string, over: Record<string, unknown> = {}) {
  return resolveConfig(
    parseConfig(
      {
        model_name: 'tiny',
        batch_size: 8,
        epoch: 2,
        lr: 0.05,
        optimizer: 'SGD',
        shape: [8, 8, 3],
        train_file: 'in-memory',
        num_identity: 4,
        output_dir: outputDir,
        log_every: 1,
        seed: 1,
        workers: 0,
        ...over,
      },
      'test.json',
    ),
  );
}

const data = makeDataset(48, 4);

async function weightsOf(parts: TrainingParts): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const w of parts.trainModel.weights) out.push((await w.read().data()) as Float32Array);
  for (const v of parts.head.variables) out.push((await v.data()) as Float32Array);
  return out;
}

async function run(
  over: Record<string, unknown>,
  opts: { dir?: string; resume?: boolean; hooks?: LoopHooks; signal?: AbortSignal; dropout?: number; batch?: number; evaluate?: TrainingParts['evaluate'] } = {},
) {
  const dir = opts.dir ?? tmpRun();
  const resolved = config(dir, over);
  const parts = tinyParts(arraySource(data, opts.batch ?? resolved.config.batch_size), { dropout: opts.dropout });
  if (opts.evaluate) parts.evaluate = opts.evaluate;
  const losses: number[] = [];
  const lrs: number[] = [];
  const hooks: LoopHooks = {
    ...opts.hooks,
    afterStep: (at) => {
      losses.push(at.loss);
      lrs.push(at.lr);
      opts.hooks?.afterStep?.(at);
    },
  };
  const result = await runTraining(resolved, parts, { resume: opts.resume, hooks, signal: opts.signal, log: () => undefined, progress: false });
  const weights = await weightsOf(parts);
  parts.dispose?.();
  return { dir, resolved, result, losses, lrs, weights };
}

describe('runTraining', () => {
  it('lowers the loss over a few steps, without leaking tensors', async () => {
    const live: number[] = [];
    const { losses, result } = await run({ epoch: 3, lr: 0.1 }, { hooks: { afterStep: () => live.push(tf.memory().numTensors) } });
    expect(live[17]).toBe(live[1]);
    expect(result.status).toBe('completed');
    expect(losses).toHaveLength(18); // 48 images / 8 = 6 steps x 3 epochs
    const first = (losses[0] + losses[1] + losses[2]) / 3;
    const last = (losses[15] + losses[16] + losses[17]) / 3;
    expect(last).toBeLessThan(first * 0.7);
  });

  it('resumes to exactly the numbers of an uninterrupted run (dropout, Adam, accumulation)', async () => {
    const over = { optimizer: 'Adam', lr: 0.01, batch_size: 4, num_grad_accum: 2, epoch: 2, checkpoint_every: 2 };
    const full = await run(over, { dropout: 0.3 });
    const ctl = new AbortController();
    const first = await run(over, { dropout: 0.3, signal: ctl.signal, hooks: { afterStep: (at) => at.step === 5 && ctl.abort() } });
    expect(first.result.status).toBe('interrupted');
    expect(first.result.step).toBe(5);
    const second = await run(over, { dir: first.dir, resume: true, dropout: 0.3 });
    expect(second.result.status).toBe('completed');
    expect(second.result.step).toBe(full.result.step);
    expectClose([...first.losses, ...second.losses], full.losses, EXACT, 'losses');
    full.weights.forEach((w, i) => expectClose(second.weights[i], w, EXACT, `weight ${i}`));
    // metrics.jsonl reads as one run: one train line per step.
    const steps = readMetrics(second.resolved.metricsFile).filter((r) => r.type === 'train').map((r) => r.step);
    expect(steps).toEqual(Array.from({ length: full.result.step }, (_, i) => i + 1));
  });

  it('accumulating 4 micro-batches of 2 equals one batch of 8', async () => {
    const one = await run({ batch_size: 8, num_grad_accum: 1, epoch: 1, steps_per_epoch: 1 });
    const acc = await run({ batch_size: 2, num_grad_accum: 4, epoch: 1, steps_per_epoch: 1 });
    expect(acc.result.step).toBe(1);
    expectClose(acc.losses, one.losses, { atol: 1e-6, rtol: 1e-6 }, 'loss');
    one.weights.forEach((w, i) => expectClose(acc.weights[i], w, { atol: 1e-6, rtol: 1e-5 }, `weight ${i}`));
  });

  it('recovers from an injected NaN: restores the last good state and halves the lr', async () => {
    let poisoned = false;
    const hooks: LoopHooks = {
      beforeMicroStep: (batch, at) => {
        if (at.step === 4 && !poisoned) {
          poisoned = true;
          batch.images.fill(NaN);
        }
      },
    };
    const { result, lrs, weights, resolved } = await run({ epoch: 2, checkpoint_every: 3 }, { hooks });
    expect(poisoned).toBe(true);
    expect(result.status).toBe('completed');
    expect(result.recoveries).toBe(1);
    expect(result.step).toBe(12);
    // Steps 1-4 at lr; step 5 fails and goes back to the checkpoint of step 3; steps 4-12 at lr / 2.
    expect(lrs.slice(0, 4)).toEqual([0.05, 0.05, 0.05, 0.05]);
    expect(lrs.slice(4)).toEqual(Array(9).fill(0.025));
    for (const w of weights) expect(w.every(Number.isFinite)).toBe(true);
    const events = readMetrics(resolved.metricsFile).filter((r) => r.type === 'event' && r.event === 'recovery');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ failedAt: 4, step: 3, lrScale: 0.5 });
  });

  it('recovers from NaN gradients under a finite loss', async () => {
    const dir = tmpRun();
    const resolved = config(dir, { epoch: 1, checkpoint_every: 2 });
    const parts = tinyParts(arraySource(data, 8));
    const inner = parts.head;
    let calls = 0;
    // At the 4th forward pass: + sqrt(0 * sum(w)), which is 0 but has gradient Inf * 0 = NaN.
    parts.head = {
      ...inner,
      variables: inner.variables,
      compute: (outputs, labels) => {
        const r = inner.compute(outputs, labels);
        if (++calls !== 4) return r;
        return { ...r, loss: tf.add(r.loss, tf.sqrt(tf.mul(tf.sum(inner.variables[0]), 0))) as tf.Scalar };
      },
    };
    const r = await runTraining(resolved, parts, { log: () => undefined, progress: false });
    const weights = await weightsOf(parts);
    parts.dispose?.();
    expect(r.recoveries).toBe(1);
    expect(r.step).toBe(6);
    for (const w of weights) expect(w.every(Number.isFinite)).toBe(true);
    const events = readMetrics(resolved.metricsFile).filter((m) => m.type === 'event');
    expect(events[0]).toMatchObject({ event: 'recovery', reason: 'gradient norm is NaN', failedAt: 3, step: 2 });
  });

  it('gives up after max_recoveries', async () => {
    const hooks: LoopHooks = { beforeMicroStep: (batch, at) => at.step === 2 && batch.images.fill(NaN) && undefined };
    await expect(run({ epoch: 1, max_recoveries: 2 }, { hooks })).rejects.toThrow(/diverged at step 2 .*after 2 recoveries/);
  });

  it('stops early on recall@1, restores the best weights and lowers the lr on a plateau', async () => {
    const script = [0.5, 0.6, 0.55, 0.58, 0.4, 0.9];
    let calls = 0;
    const evaluate = async (): Promise<EvalResult> => {
      const r = script[calls++];
      return { recall: { 'test.tfrecord': { 1: r } }, mean: { 1: r } };
    };
    const { result, lrs, weights } = await run(
      { epoch: 6, test_files: ['test.tfrecord'], early_stopping_patience: 3, plateau_patience: 2, plateau_min_lr: 0 },
      { evaluate },
    );
    expect(result.status).toBe('early-stopped');
    expect(result.epoch).toBe(5);
    expect(result.bestRecall).toBe(0.6);
    expect(result.bestEpoch).toBe(1);
    // Plateau: epochs 3 and 4 do not beat 0.6, so epoch 5 trains at lr x 0.5.
    expect(lrs.slice(0, 24).every((lr) => lr === 0.05)).toBe(true);
    expect(lrs.slice(24)).toEqual(Array(6).fill(0.025));
    const best = readCheckpoint(result.bestCheckpoint!);
    expect((best.meta.state as { epoch: number }).epoch).toBe(2);
    // The final weights are the best checkpoint's.
    const saved = [...best.tensors.model, ...best.tensors.head];
    weights.forEach((w, i) => expectClose(w, saved[i].data, EXACT, `weight ${i}`));
  });

  it("'checkpoint' restores weights, head and optimizer state into a new run", async () => {
    const first = await run({ epoch: 1, optimizer: 'Adam', lr: 0.01 });
    const dir = tmpRun();
    const resolved = config(dir, { epoch: 1, optimizer: 'Adam', lr: 0.01, checkpoint: first.resolved.runDir, model_name: 'second' });
    const parts = tinyParts(arraySource(data, 8), { seed: 99 });
    let atStart: Float32Array[] = [];
    const hooks: LoopHooks = {
      beforeMicroStep: (_b, at) => {
        if (at.step === 0) atStart = [...parts.trainModel.weights.map((w) => w.read().dataSync() as Float32Array), ...parts.head.variables.map((v) => v.dataSync() as Float32Array)];
      },
    };
    const r = await runTraining(resolved, parts, { hooks, log: () => undefined, progress: false });
    parts.dispose?.();
    expect(r.step).toBe(6); // a new run: counters start at 0
    first.weights.forEach((w, i) => expectClose(atStart[i], w, EXACT, `weight ${i}`));
  });
});
