/**
 * The one module that chooses the TensorFlow.js backend (STYLE principle 7).
 * Everything else imports `@tensorflow/tfjs` and calls `initBackend()` once at start-up; for
 * wasm that also starts its thread pool and installs this package's training kernels
 * (README.md). FFEM_WASM_THREADS=1..8 overrides the thread count.
 */
export { initBackend, availableBackends, wasmThreadsWanted, type BackendChoice, type BackendInfo } from './select-backend';
