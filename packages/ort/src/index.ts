/**
 * The one seam to onnxruntime-node (STYLE principle 7): nothing else in the repo imports it.
 */
export { openSession, type OnnxSession, type Provider, type SessionOptions } from './session';
