/**
 * @ffem/training: the `ffem train` recipe of the original FFEM in TypeScript.
 *
 * - `train(config, opts)`: backend, config, models, pipeline, the loop, final models.
 * - `parseConfig` / `loadConfig` / `resolveConfig`: the JSON config (keys of the original) and
 *   everything derived from it.
 * - `runTraining(resolved, parts, opts)`: the loop on any parts (models, head, batches, evaluator).
 * - `LrSchedule`, `createOptimizer`, `GradAccumulator` / `clipByGlobalNorm`: the loop's pieces.
 * - `CheckpointStore`, `readCheckpoint`, `writeCheckpoint`, `locateCheckpoint`: self-describing,
 *   atomically written checkpoints.
 * - `TensorBoardWriter`, `encodeEvent` / `decodeEvent`, `readEvents`: TensorBoard event files.
 * - `readMetrics`: the run's metrics.jsonl.
 */
export { train, versions, type TrainOptions } from './train';
export {
  parseConfig,
  loadConfig,
  resolveConfig,
  describeResolved,
  configSchema,
  type TrainConfig,
  type ResolvedConfig,
} from './config';
export { runTraining, restoreWeights, type TrainResult, type TrainStatus, type LoopOptions, type LoopHooks, type LoopState } from './trainer';
export type { Batch, BatchSource, TrainHead, TrainingParts, EvalResult } from './parts';
export { buildParts, backboneName, headParams, modelConfigOf } from './build-parts';
export { LrSchedule, type LrScheduleKind, type LrScheduleOptions, type LrScheduleState } from './lr-schedule';
export { createOptimizer, type OptimizerName, type TrainOptimizer, type NamedTensor } from './optimizer';
export { GradAccumulator, clipByGlobalNorm } from './grad-accum';
export {
  CheckpointStore,
  readCheckpoint,
  writeCheckpoint,
  locateCheckpoint,
  findNonFinite,
  type CheckpointData,
  type SavedTensor,
} from './checkpoint';
export { TensorBoardWriter, encodeEvent, decodeEvent, readEvents, type TbEvent, type ScalarValue } from './tensorboard';
export { MetricsLog, readMetrics, type MetricsRecord } from './metrics-log';
export { copyWeights } from './copy-weights';
export { Rng, withMathRandom } from './rng';
