/**
 * The one seam to onnxruntime-node (STYLE principle 7): nothing else in the repo imports it.
 *
 * - `openSession(model, {provider})`: a session on CUDA (when installed) or CPU, with the model's
 *   declared inputs/outputs and metadata_props.
 * - `supportedProviders()`: what this onnxruntime-node build can run on.
 * - `readModelInfo(bytes)`: producer, opsets and metadata_props of an ONNX file, without the graph.
 */
export {
  openSession,
  supportedProviders,
  type OnnxSession,
  type Provider,
  type SessionOptions,
  type TensorData,
  type ValueInfo,
} from './session';
export { readModelInfo, type ModelInfo } from './model-info';
export { createSyncGemm, openSyncSession, type SyncGemm, type SyncRun, type SyncTensor } from './sync-session';
