/**
 * The training loop. It reads top to bottom, one optimizer step at a time:
 *   lr -> checkpoint / interrupt -> micro-steps (gradient accumulation) -> health check ->
 *   clip -> step -> log; and at each epoch end: evaluate -> schedule -> best/latest checkpoint ->
 *   early stopping.
 * Everything that decides the numbers (weights, optimizer state, data position, the RNG that
 * dropout draws from, schedule and early-stopping state) lives in `LoopState` + tensors and goes
 * into every checkpoint, so a resumed run repeats an uninterrupted one exactly on one backend.
 */
import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs';
import {
  CheckpointStore,
  locateCheckpoint,
  readCheckpoint,
  saveTensors,
  toTensor,
  writeFileAtomic,
  type CheckpointData,
  type CheckpointTag,
  type SavedTensor,
} from './checkpoint';
import { describeResolved, type ResolvedConfig } from './config';
import { clipByGlobalNorm, GradAccumulator } from './grad-accum';
import { LrSchedule, type LrScheduleState } from './lr-schedule';
import { MetricsLog } from './metrics-log';
import { createOptimizer, type TrainOptimizer } from './optimizer';
import type { Batch, EvalResult, TrainingParts } from './parts';
import { createProgress, type Progress } from './progress';
import { Rng, withMathRandom } from './rng';
import { TensorBoardWriter } from './tensorboard';

/** Everything besides tensors that a checkpoint must hold to continue the run exactly. */
export interface LoopState {
  /** Optimizer steps done. */
  step: number;
  /** Current epoch (0-based) and position in it. */
  epoch: number;
  batchInEpoch: number;
  stepInEpoch: number;
  rng: number;
  lrSchedule: LrScheduleState;
  /** Multiplies the scheduled lr; halved at each recovery from a non-finite loss or a spike. */
  lrScale: number;
  recoveries: number;
  /** Running mean of the loss (spike detection) and how many steps it has seen. */
  lossEma: number | null;
  lossSeen: number;
  /** Early stopping on mean recall@1. */
  best: { metric: number | null; epoch: number; wait: number };
  /** Micro-batches the last full epoch had (0 until one was read): the progress bar's total. */
  epochBatches: number;
}

export type TrainStatus = 'completed' | 'early-stopped' | 'interrupted';

export interface TrainResult {
  status: TrainStatus;
  step: number;
  epoch: number;
  /** Best mean recall@1 and its epoch (null without test files). */
  bestRecall: number | null;
  bestEpoch: number | null;
  lastEval: EvalResult | null;
  runDir: string;
  /** Where the inference model / backbone were saved (null when not saved). */
  modelDir: string | null;
  backboneDir: string | null;
  latestCheckpoint: string | null;
  bestCheckpoint: string | null;
  recoveries: number;
}

export interface LoopHooks {
  /** Test hook: sees (and may alter) each micro-batch before it is fed to the model. */
  beforeMicroStep?: (batch: Batch, at: { step: number; micro: number }) => void;
  /** Test hook: called after each optimizer step. */
  afterStep?: (at: { step: number; epoch: number; loss: number; lr: number }) => void;
}

export interface LoopOptions {
  /** Continue from the run's latest checkpoint. */
  resume?: boolean;
  /** Abort (e.g. on SIGINT): the loop saves a checkpoint at the next step boundary and returns. */
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Show the progress bar (default: when stderr is a terminal). */
  progress?: boolean;
  /** Extra fields for checkpoints (backend, library versions). */
  meta?: Record<string, unknown>;
  hooks?: LoopHooks;
}

const SPIKE_WARMUP_STEPS = 10;
const EMA_DECAY = 0.9;

/** The variables the optimizer updates, in a fixed order: the model's trainable weights, then the head's. */
function trainableVariables(parts: TrainingParts): tf.Variable[] {
  const vars = parts.trainModel.trainableWeights.map((w) => w.read() as tf.Variable);
  return [...vars, ...parts.head.variables];
}

function initialState(resolved: ResolvedConfig, schedule: LrSchedule): LoopState {
  return {
    step: 0,
    epoch: 0,
    batchInEpoch: 0,
    stepInEpoch: 0,
    rng: new Rng(resolved.config.seed ^ 0x5eed).getState(),
    lrSchedule: schedule.getState(),
    lrScale: 1,
    recoveries: 0,
    lossEma: null,
    lossSeen: 0,
    best: { metric: null, epoch: -1, wait: 0 },
    epochBatches: 0,
  };
}

function setTensors(target: string, current: tf.Tensor[], saved: SavedTensor[] | undefined): tf.Tensor[] {
  if (!saved) throw new Error(`checkpoint: no '${target}' tensors`);
  if (saved.length !== current.length) {
    throw new Error(`checkpoint: ${target}: ${saved.length} tensors saved, the ${target} has ${current.length}`);
  }
  return saved.map((s, i) => {
    const want = current[i].shape.join(',');
    if (s.shape.join(',') !== want) throw new Error(`checkpoint: ${target}/${s.name}: shape [${s.shape}], expected [${want}]`);
    return toTensor(s);
  });
}

/** Restores model weights and head variables from checkpoint tensors. */
export function restoreWeights(parts: TrainingParts, data: CheckpointData): void {
  const model = parts.trainModel;
  const modelTensors = setTensors('model', model.weights.map((w) => w.read()), data.tensors.model);
  model.setWeights(modelTensors);
  tf.dispose(modelTensors);
  const headTensors = setTensors('head', parts.head.variables, data.tensors.head ?? []);
  parts.head.variables.forEach((v, i) => v.assign(headTensors[i]));
  tf.dispose(headTensors);
}

class Loop {
  private readonly cfg;
  private readonly store: CheckpointStore;
  private readonly schedule: LrSchedule;
  private optimizer: TrainOptimizer;
  private readonly vars: tf.Variable[];
  private state: LoopState;
  private rng: Rng;
  private lastGood: CheckpointData | null = null;
  private metrics!: MetricsLog;
  private tb!: TensorBoardWriter;
  private progress!: Progress;
  private lastEval: EvalResult | null = null;
  private latestDir: string | null = null;
  private bestDir: string | null = null;
  private readonly log: (line: string) => void;

  constructor(
    private readonly resolved: ResolvedConfig,
    private readonly parts: TrainingParts,
    private readonly opts: LoopOptions,
  ) {
    this.cfg = resolved.config;
    this.log = opts.log ?? ((l) => process.stderr.write(`${l}\n`));
    this.store = new CheckpointStore(resolved.checkpointDir);
    this.schedule = new LrSchedule({
      kind: resolved.lrSchedule,
      lr: this.cfg.lr,
      decaySteps: this.cfg.lr_decay_steps,
      decayRate: this.cfg.lr_decay_rate,
      factor: this.cfg.plateau_factor,
      patience: this.cfg.plateau_patience,
      minLr: this.cfg.plateau_min_lr,
    });
    this.optimizer = this.newOptimizer();
    this.vars = trainableVariables(parts);
    this.state = initialState(resolved, this.schedule);
    this.rng = new Rng(0);
    this.rng.setState(this.state.rng);
  }

  private newOptimizer(): TrainOptimizer {
    return createOptimizer(this.cfg.optimizer, { lr: this.cfg.lr, weightDecay: this.cfg.adamw_weight_decay });
  }

  // ---- state <-> checkpoint ----------------------------------------------------------------

  private async capture(): Promise<CheckpointData> {
    this.state.rng = this.rng.getState();
    this.state.lrSchedule = this.schedule.getState();
    const model = await saveTensors(this.parts.trainModel.weights.map((w) => ({ name: w.originalName, tensor: w.read() })));
    const head = await saveTensors(this.parts.head.variables.map((v) => ({ name: v.name, tensor: v })));
    const optState = await this.optimizer.getState();
    const optimizer = await saveTensors(optState);
    tf.dispose(optState.map((o) => o.tensor));
    return {
      meta: {
        state: structuredClone(this.state),
        optimizer: this.cfg.optimizer,
        resolved: describeResolved(this.resolved),
        savedAt: new Date().toISOString(),
        ...this.opts.meta,
      },
      tensors: { model, head, optimizer },
    };
  }

  /** Restores weights, head, optimizer and (with `withState`) the loop state. */
  private async restore(data: CheckpointData, withState: boolean): Promise<void> {
    restoreWeights(this.parts, data);
    this.optimizer.dispose();
    this.optimizer = this.newOptimizer();
    const opt = data.tensors.optimizer ?? [];
    const savedWith = data.meta.optimizer;
    if (opt.length && savedWith !== this.cfg.optimizer) {
      this.log(`[ffem] checkpoint optimizer state is ${String(savedWith)}'s; starting ${this.cfg.optimizer} afresh`);
    } else if (opt.length) {
      const named = opt.map((t) => ({ name: t.name, tensor: toTensor(t) }));
      await this.optimizer.setState(named);
      tf.dispose(named.map((n) => n.tensor));
    }
    if (withState) {
      this.state = structuredClone(data.meta.state as LoopState);
      this.schedule.setState(this.state.lrSchedule);
      this.rng.setState(this.state.rng);
    }
  }

  private async saveCheckpoint(tags: CheckpointTag[], label: string): Promise<void> {
    const data = await this.capture();
    const dir = this.store.save(data, tags, label);
    if (tags.includes('latest')) this.latestDir = dir;
    if (tags.includes('best')) this.bestDir = dir;
    this.lastGood = data;
  }

  // ---- setup ---------------------------------------------------------------------------------

  private async setup(): Promise<void> {
    const r = this.resolved;
    const existing = this.store.resolve('latest');
    if (this.opts.resume) {
      if (!existing) throw new Error(`${r.checkpointDir}: no checkpoint to resume from (latest.json missing)`);
      const data = readCheckpoint(existing);
      await this.restore(data, true);
      this.latestDir = existing;
      this.bestDir = this.store.resolve('best');
      this.lastGood = data;
      this.log(`[ffem] resumed from ${existing}: epoch ${this.state.epoch + 1}, step ${this.state.step}`);
      const was = (data.meta.backend as { name?: string } | undefined)?.name;
      const now = (this.opts.meta?.backend as { name?: string } | undefined)?.name;
      if (was && now && was !== now) this.log(`[ffem] warning: the run was checkpointed on '${was}' and continues on '${now}': numbers will differ from an uninterrupted run`);
    } else {
      if (existing) {
        throw new Error(`${r.runDir}: a run already exists here; pass --resume to continue it, or change model_name / output_dir`);
      }
      if (this.cfg.checkpoint) {
        const dir = locateCheckpoint(this.cfg.checkpoint);
        await this.restore(readCheckpoint(dir), false);
        this.log(`[ffem] restored weights, head and optimizer state from checkpoint ${dir}`);
      }
      this.lastGood = await this.capture();
    }
    fs.mkdirSync(r.runDir, { recursive: true });
    writeFileAtomic(`${r.runDir}/config.json`, `${JSON.stringify(describeResolved(r), null, 2)}\n`);
    this.metrics = new MetricsLog(r.metricsFile, this.opts.resume ? { resumeAtStep: this.state.step } : {});
    this.tb = new TensorBoardWriter(r.tensorboardDir);
    // Every session starts with a START; TensorBoard treats later ones as restarts and drops the
    // interrupted session's events from this step on (they are redone).
    this.tb.sessionStart(this.state.step + 1);
    this.progress = createProgress(this.opts.progress ?? Boolean(process.stderr.isTTY), this.log);
  }

  // ---- one optimizer step ----------------------------------------------------------------------

  /** Forward + backward of one micro-batch; returns its loss, correct count and gradients. */
  private microStep(batch: Batch): { loss: number; correct: number; grads: tf.Tensor[] } {
    const vars = this.vars;
    const held: { correct?: tf.Scalar } = {};
    const { value, grads } = withMathRandom(this.rng, () =>
      tf.variableGrads(() => {
        const x = tf.tensor4d(batch.images, [batch.size, batch.height, batch.width, 3]);
        const y = tf.tensor1d(batch.labels, 'int32');
        const out = this.parts.trainModel.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
        const outputs = Array.isArray(out) ? out : [out];
        const { loss, logits } = this.parts.head.compute(outputs, y);
        held.correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32')) as tf.Scalar);
        return this.parts.regularization ? tf.add(loss, this.parts.regularization()) : loss;
      }, vars),
    );
    const loss = value.dataSync()[0];
    const correct = held.correct!.dataSync()[0];
    tf.dispose([value, held.correct!]);
    return { loss, correct, grads: vars.map((v) => grads[v.name]) };
  }

  /** Why this step's loss must not be applied, or null when it is fine. */
  private unhealthy(loss: number): string | null {
    if (!Number.isFinite(loss)) return `loss is ${loss}`;
    const s = this.state;
    const f = this.cfg.loss_spike_factor;
    if (f > 0 && s.lossEma !== null && s.lossSeen >= SPIKE_WARMUP_STEPS && loss > f * s.lossEma) {
      return `loss spike: ${loss.toPrecision(4)} > ${f} x running mean ${s.lossEma.toPrecision(4)}`;
    }
    return null;
  }

  /** Restores the last good state and halves the learning rate; throws past max_recoveries. */
  private async recover(reason: string): Promise<void> {
    const s = this.state;
    const recoveries = s.recoveries + 1;
    const lrScale = s.lrScale * 0.5;
    if (recoveries > this.cfg.max_recoveries) {
      throw new Error(`training diverged at step ${s.step} (${reason}) after ${this.cfg.max_recoveries} recoveries (max_recoveries)`);
    }
    if (!this.lastGood) throw new Error(`training diverged at step ${s.step} (${reason}) with no good state to go back to`);
    const failedAt = s.step;
    await this.restore(this.lastGood, true);
    this.state.recoveries = recoveries;
    this.state.lrScale = lrScale;
    const line = `[ffem] step ${failedAt}: ${reason}; restored step ${this.state.step} and halved the lr (scale ${lrScale}); recovery ${recoveries}/${this.cfg.max_recoveries}`;
    this.progress.log(line);
    this.metrics.write({ type: 'event', step: this.state.step, event: 'recovery', reason, failedAt, lrScale, recoveries });
  }

  /**
   * Runs one epoch from the current position. Returns 'epoch-end', 'recovered' (state was
   * restored: run the epoch loop again from the restored position) or 'interrupted'.
   */
  private async runEpoch(): Promise<'epoch-end' | 'recovered' | 'interrupted'> {
    const cfg = this.cfg;
    const s = this.state;
    const accum = new GradAccumulator();
    const it = this.parts.train.epoch(s.epoch, { startBatch: s.batchInEpoch });
    const batches = this.parts.batchesPerEpoch ?? s.epochBatches;
    const fullSteps = batches ? Math.ceil(batches / cfg.num_grad_accum) : 0;
    const stepsTotal = cfg.steps_per_epoch && fullSteps ? Math.min(cfg.steps_per_epoch, fullSteps) : cfg.steps_per_epoch || fullSteps;
    let window = { loss: 0, correct: 0, images: 0, steps: 0, gradNorm: 0, t0: Date.now() };
    let lastShown = { loss: NaN, acc: NaN, ips: 0 };
    this.progress.start(stepsTotal, s.stepInEpoch, { epoch: s.epoch, epochs: cfg.epoch, loss: NaN, acc: NaN, lr: this.lr(), ips: 0 });
    try {
      for (;;) {
        // -- lr for this step
        const lr = this.lr();
        this.optimizer.setLearningRate(lr);

        // -- checkpoint / interrupt at the step boundary
        if (cfg.checkpoint_every > 0 && s.step > 0 && s.step % cfg.checkpoint_every === 0 && this.lastSavedStep() !== s.step) {
          await this.saveCheckpoint(['latest'], `step-${s.step}`);
        }
        if (this.opts.signal?.aborted) return 'interrupted';
        if (cfg.steps_per_epoch > 0 && s.stepInEpoch >= cfg.steps_per_epoch) return 'epoch-end';

        // -- micro-steps: accumulate gradients over num_grad_accum batches
        let lossSum = 0;
        let correct = 0;
        let images = 0;
        for (let micro = 0; micro < cfg.num_grad_accum; micro++) {
          const next = await it.next();
          if (next.done) break;
          const batch = next.value;
          this.opts.hooks?.beforeMicroStep?.(batch, { step: s.step, micro });
          const r = this.microStep(batch);
          accum.add(r.grads);
          lossSum += r.loss;
          correct += r.correct;
          images += batch.size;
          s.batchInEpoch += 1;
        }
        const n = accum.count;
        if (n === 0) {
          s.epochBatches = s.batchInEpoch;
          return 'epoch-end';
        }
        const loss = lossSum / n;

        // -- health: a non-finite loss or a spike is never applied
        const bad = this.unhealthy(loss);
        if (bad) {
          accum.reset();
          await this.recover(bad);
          return 'recovered';
        }

        // -- clip (the global norm is also a health check: a finite loss can have NaN gradients)
        const { grads, norm } = clipByGlobalNorm(accum.take(), cfg.grad_clip_norm);
        if (!Number.isFinite(norm)) {
          tf.dispose(grads);
          await this.recover(`gradient norm is ${norm}`);
          return 'recovered';
        }

        // -- one optimizer step
        this.optimizer.applyGradients(this.vars, grads);
        tf.dispose(grads);
        s.step += 1;
        s.stepInEpoch += 1;
        s.lossEma = s.lossEma === null ? loss : EMA_DECAY * s.lossEma + (1 - EMA_DECAY) * loss;
        s.lossSeen += 1;
        this.opts.hooks?.afterStep?.({ step: s.step, epoch: s.epoch, loss, lr });

        // -- log
        window.loss += loss;
        window.correct += correct;
        window.images += images;
        window.steps += 1;
        window.gradNorm += norm;
        if (s.step % cfg.log_every === 0) {
          const secs = Math.max((Date.now() - window.t0) / 1000, 1e-9);
          lastShown = { loss: window.loss / window.steps, acc: window.correct / window.images, ips: window.images / secs };
          const gradNorm = window.gradNorm / window.steps;
          this.metrics.write({ type: 'train', step: s.step, epoch: s.epoch, loss: lastShown.loss, accuracy: lastShown.acc, lr, grad_norm: gradNorm, images_per_s: lastShown.ips });
          this.tb.scalars(s.step, { 'train/loss': lastShown.loss, 'train/accuracy': lastShown.acc, 'train/lr': lr, 'train/grad_norm': gradNorm, 'train/images_per_s': lastShown.ips });
          window = { loss: 0, correct: 0, images: 0, steps: 0, gradNorm: 0, t0: Date.now() };
        }
        const ips = window.steps ? window.images / Math.max((Date.now() - window.t0) / 1000, 1e-9) : lastShown.ips;
        this.progress.update(s.stepInEpoch, { epoch: s.epoch, epochs: cfg.epoch, loss: window.steps ? window.loss / window.steps : lastShown.loss, acc: window.steps ? window.correct / window.images : lastShown.acc, lr, ips });
      }
    } finally {
      accum.reset();
      this.progress.stop();
      await it.return?.();
    }
  }

  private lr(): number {
    return this.schedule.at(this.state.step) * this.state.lrScale;
  }

  private lastSavedStep(): number | null {
    const st = this.lastGood?.meta.state as LoopState | undefined;
    return st ? st.step : null;
  }

  /** Whether the last saved (good) state is the current position. */
  private isSaved(): boolean {
    const st = this.lastGood?.meta.state as LoopState | undefined;
    const s = this.state;
    return !!st && st.step === s.step && st.epoch === s.epoch && st.batchInEpoch === s.batchInEpoch && this.latestDir !== null;
  }

  // ---- epoch end ---------------------------------------------------------------------------

  private async endEpoch(): Promise<void> {
    const cfg = this.cfg;
    const s = this.state;
    let improved = false;
    if (this.parts.evaluate) {
      const result = await this.parts.evaluate(this.parts.embeddingModel);
      this.lastEval = result;
      const r1 = result.mean[1] ?? result.mean[Math.min(...cfg.eval.recall)];
      const scalars: Record<string, number> = {};
      for (const [file, rec] of Object.entries(result.recall)) {
        for (const [k, v] of Object.entries(rec)) scalars[`eval/${file}/recall@${k}`] = v;
      }
      for (const [k, v] of Object.entries(result.mean)) scalars[`eval/mean/recall@${k}`] = v;
      this.metrics.write({ type: 'eval', step: s.step, epoch: s.epoch, recall: result.recall, recall_mean: result.mean, lr: this.lr() });
      this.tb.scalars(s.step, scalars);
      this.progress.log(`[ffem] epoch ${s.epoch + 1}/${cfg.epoch}: recall@1 ${Object.entries(result.recall).map(([f, r]) => `${f} ${r[1]?.toFixed(4)}`).join(', ')}; mean ${r1?.toFixed(4)}`);
      const lowered = this.schedule.onEpochEnd(r1);
      if (lowered !== null) {
        this.progress.log(`[ffem] recall@1 has not improved for ${cfg.plateau_patience} epochs: lr -> ${lowered}`);
        this.metrics.write({ type: 'event', step: s.step, event: 'lr-plateau', lr: lowered });
      }
      if (Number.isFinite(r1) && (s.best.metric === null || r1 > s.best.metric)) {
        s.best = { metric: r1, epoch: s.epoch, wait: 0 };
        improved = true;
      } else {
        s.best.wait += 1;
      }
    }
    s.epoch += 1;
    s.batchInEpoch = 0;
    s.stepInEpoch = 0;
    await this.saveCheckpoint(improved ? ['latest', 'best'] : ['latest'], `epoch-${s.epoch}`);
    this.tb.flush();
  }

  // ---- the run -------------------------------------------------------------------------------

  async run(): Promise<TrainResult> {
    await this.setup();
    const cfg = this.cfg;
    let status: TrainStatus = 'completed';
    try {
      while (this.state.epoch < cfg.epoch) {
        if (this.state.best.wait >= cfg.early_stopping_patience) {
          status = 'early-stopped';
          this.progress.log(`[ffem] early stopping: recall@1 has not improved for ${cfg.early_stopping_patience} epochs (best ${this.state.best.metric} at epoch ${this.state.best.epoch + 1})`);
          break;
        }
        const outcome = await this.runEpoch();
        if (outcome === 'recovered') continue;
        if (outcome === 'interrupted') {
          status = 'interrupted';
          break;
        }
        await this.endEpoch();
        if (this.opts.signal?.aborted && this.state.epoch < cfg.epoch) {
          status = 'interrupted';
          break;
        }
      }
      if (status === 'interrupted') {
        if (!this.isSaved()) {
          await this.saveCheckpoint(['latest'], `step-${this.state.step}`);
        }
        this.log(`[ffem] interrupted: saved ${this.latestDir}; continue with --resume`);
        this.metrics.write({ type: 'event', step: this.state.step, event: 'interrupted' });
        return this.result(status, null, null);
      }
      // The saved model is the best by recall@1 (early stopping's restore_best_weights).
      if (this.bestDir && this.bestDir !== this.latestDir) {
        restoreWeights(this.parts, readCheckpoint(this.bestDir));
        this.log(`[ffem] restored the best weights (epoch ${this.state.best.epoch + 1}, recall@1 ${this.state.best.metric})`);
      }
      let modelDir: string | null = null;
      let backboneDir: string | null = null;
      if (this.parts.saveModel) {
        await this.parts.saveModel(this.parts.embeddingModel, this.resolved.modelDir);
        modelDir = this.resolved.modelDir;
        if (this.parts.backbone) {
          await this.parts.saveModel(this.parts.backbone, this.resolved.backboneDir);
          backboneDir = this.resolved.backboneDir;
        }
        this.log(`[ffem] saved the inference model to ${modelDir}${backboneDir ? ` and the backbone to ${backboneDir}` : ''}`);
      }
      this.metrics.write({ type: 'event', step: this.state.step, event: status });
      return this.result(status, modelDir, backboneDir);
    } finally {
      this.progress.stop();
      this.metrics.close();
      this.tb.close();
      this.optimizer.dispose();
    }
  }

  private result(status: TrainStatus, modelDir: string | null, backboneDir: string | null): TrainResult {
    const s = this.state;
    return {
      status,
      step: s.step,
      epoch: s.epoch,
      bestRecall: s.best.metric,
      bestEpoch: s.best.metric === null ? null : s.best.epoch,
      lastEval: this.lastEval,
      runDir: this.resolved.runDir,
      modelDir,
      backboneDir,
      latestCheckpoint: this.latestDir,
      bestCheckpoint: this.bestDir,
      recoveries: s.recoveries,
    };
  }
}

/** Runs the training loop on the given parts (see `train()` for building them from a config). */
export async function runTraining(resolved: ResolvedConfig, parts: TrainingParts, opts: LoopOptions = {}): Promise<TrainResult> {
  return new Loop(resolved, parts, opts).run();
}
