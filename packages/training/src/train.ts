/**
 * `train(config)`: the whole of `ffem train`: backend, config resolution (printed and saved),
 * parts from the real packages, the loop, and the final models.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendChoice } from '@ffem/backend';
import { buildParts } from './build-parts';
import { describeResolved, loadConfig, parseConfig, resolveConfig, type TrainConfig } from './config';
import { runTraining, type LoopHooks, type TrainResult } from './trainer';

export interface TrainOptions {
  /** Continue the run in `<output_dir>/<model_name>` from its latest checkpoint. */
  resume?: boolean;
  /** Overrides the config's `backend`. */
  backend?: BackendChoice;
  /** Aborting saves a checkpoint at the next step boundary and returns status 'interrupted'. */
  signal?: AbortSignal;
  /** Where progress lines go (default stderr). */
  log?: (line: string) => void;
  /** Progress bar on stderr (default: when stderr is a terminal). */
  progress?: boolean;
  hooks?: LoopHooks;
}

/** Library versions recorded in checkpoints. */
export function versions(): Record<string, string> {
  return {
    '@ffem/training': require('../package.json').version as string,
    '@tensorflow/tfjs': tf.version.tfjs,
    node: process.version,
  };
}

/** Keys that may change between an interrupted run and its resumption. */
const RESUMABLE_CHANGES = new Set(['epoch', 'backend', 'workers', 'log_every', 'checkpoint_every', 'early_stopping_patience', 'max_recoveries']);

function checkSameRun(config: TrainConfig, runDir: string): void {
  const file = path.join(runDir, 'config.json');
  if (!fs.existsSync(file)) return;
  const saved = (JSON.parse(fs.readFileSync(file, 'utf8')) as { config: Record<string, unknown> }).config;
  const now = config as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(saved), ...Object.keys(now)])) {
    if (RESUMABLE_CHANGES.has(key)) continue;
    if (JSON.stringify(saved[key]) !== JSON.stringify(now[key])) {
      throw new Error(`${file}: ${key}: the run was started with ${JSON.stringify(saved[key])}, the config now says ${JSON.stringify(now[key])}; --resume continues the same run`);
    }
  }
}

/** Trains a model from a config (a parsed config, or the path of a JSON file). */
export async function train(config: TrainConfig | string, opts: TrainOptions = {}): Promise<TrainResult> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  let cfg = typeof config === 'string' ? loadConfig(config) : parseConfig(config);
  if (opts.backend) cfg = { ...cfg, backend: opts.backend };
  const backend = await initBackend(cfg.backend, log);
  const resolved = resolveConfig(cfg);
  if (opts.resume) checkSameRun(cfg, resolved.runDir);
  else if (fs.existsSync(path.join(resolved.checkpointDir, 'latest.json'))) {
    throw new Error(`${resolved.runDir}: a run already exists here; pass --resume to continue it, or change model_name / output_dir`);
  }
  log(`[ffem] config:\n${JSON.stringify(describeResolved(resolved), null, 2)}`);
  const parts = await buildParts(resolved, log);
  try {
    return await runTraining(resolved, parts, {
      resume: opts.resume,
      signal: opts.signal,
      log,
      progress: opts.progress,
      hooks: opts.hooks,
      meta: { backend: { name: backend.name, provider: backend.provider }, versions: versions() },
    });
  } finally {
    await parts.dispose?.();
  }
}
