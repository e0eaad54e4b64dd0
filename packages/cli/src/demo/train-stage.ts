/**
 * `ffem train` under a time budget: when the budget runs out the demo interrupts training the way
 * Ctrl-C does (a checkpoint at the next step boundary), then finishes the run with `--resume` and
 * `epoch` set to the epochs completed, so `ffem train` restores the best weights and saves the
 * inference model. The resumption is the real `--resume` path, not a shortcut. The budget never
 * cuts the first epoch short: a run stopped inside it resumes to finish that epoch.
 */
import * as fs from 'fs';
import * as path from 'path';
import { locateCheckpoint } from '@ffem/training';
import { DemoStageError, type Stages } from './stages';

export interface TrainStageResult {
  /** How training ended: all epochs / early stopping (ffem train's own), or the demo's budget. */
  stoppedBy: 'run' | 'budget';
  /** Epochs whose updates the saved model has seen (completed epochs; at least 1). */
  epochs: number;
  /** The inference model folder `ffem train` saved. */
  modelDir: string;
}

/** The loop state of the run's latest checkpoint. */
export function latestCheckpointState(runDir: string): { epoch: number; step: number; stepInEpoch: number } {
  const dir = locateCheckpoint(runDir);
  // checkpoint.json holds the trainer's meta (its `state` among it) beside the tensor manifest.
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'checkpoint.json'), 'utf8')) as { state?: Record<string, number> };
  const state = json.state;
  if (!state || !Number.isInteger(state.epoch)) throw new Error(`${dir}/checkpoint.json: state.epoch: missing`);
  return { epoch: state.epoch, step: state.step, stepInEpoch: state.stepInEpoch ?? 0 };
}

/**
 * Runs `ffem train --config <configFile>` as the stage 'train'; with `minutes` > 0, stops it after
 * that long and finishes as described above (stage 'train: finish (--resume)').
 */
export async function trainWithBudget(stages: Stages, configFile: string, runDir: string, minutes: number): Promise<TrainStageResult> {
  const modelDir = path.join(runDir, 'model');
  let budgetHit = false;
  let timer: NodeJS.Timeout | undefined;
  if (minutes > 0) {
    timer = setTimeout(() => {
      budgetHit = true;
      process.stderr.write(`\n[demo] training budget of ${minutes} min reached: stopping at the next step\n`);
      // Exactly what Ctrl-C does: `ffem train` saves a checkpoint and returns 'interrupted'.
      process.emit('SIGINT', 'SIGINT');
    }, minutes * 60_000);
    timer.unref();
  }
  try {
    await stages.ffem('train', ['train', '--config', configFile]);
  } finally {
    clearTimeout(timer);
  }
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  if (fs.existsSync(path.join(modelDir, 'model.json'))) {
    // The run ended by itself (possibly just as the budget ran out).
    const state = latestCheckpointState(runDir);
    return { stoppedBy: 'run', epochs: Math.max(1, Math.min(state.epoch, config.epoch as number)), modelDir };
  }
  if (!budgetHit) {
    throw new DemoStageError('train', `interrupted before the inference model was saved; continue with: npx ffem train --config ${configFile} --resume`);
  }
  const state = latestCheckpointState(runDir);
  const epochs = Math.max(1, state.epoch);
  const finishFile = configFile.replace(/\.json$/, '') + '.finish.json';
  fs.writeFileSync(finishFile, `${JSON.stringify({ ...config, epoch: epochs }, null, 2)}\n`);
  await stages.ffem('train: finish (--resume)', ['train', '--config', finishFile, '--resume']);
  if (!fs.existsSync(path.join(modelDir, 'model.json'))) {
    throw new DemoStageError('train: finish (--resume)', `no inference model in ${modelDir}`);
  }
  return { stoppedBy: 'budget', epochs, modelDir };
}
