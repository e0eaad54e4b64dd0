/**
 * The one module that chooses the TensorFlow.js backend (STYLE principle 7).
 * Everything else imports `@tensorflow/tfjs` and calls `initBackend()` once at start-up.
 */
export { initBackend, availableBackends, type BackendChoice, type BackendInfo } from './select-backend';
