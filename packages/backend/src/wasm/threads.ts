/**
 * Makes the multi-threaded (SIMD + pthreads) build of tfjs-backend-wasm start under Node.
 *
 * tfjs 4.22 refuses threads in Node (WASM_HAS_MULTITHREAD_SUPPORT is false there, tfjs #3830).
 * Forcing the flag is not enough, for three reasons this module works around while the backend
 * initialises, and only then:
 * 1. the pthread worker script is handed to `new Worker()` as a `blob:` URL, which Node's Worker
 *    refuses (ERR_WORKER_PATH): we write the same script to a file and hand out its path;
 * 2. that script loads the backend's main script from a Blob as well: in our copy it loads
 *    `wasm-out/tfjs-backend-wasm-threaded-simd.js` of the installed package instead;
 * 3. the C++ side caps the thread pool at `navigator.hardwareConcurrency / 2` (it assumes SMT),
 *    read once through `os.cpus()` when the module starts: we report twice the cores then, and
 *    set the wanted count through `setThreadsCount`.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

// The `importScripts(blob)` branch of emscripten's pthread worker in tfjs-backend-wasm 4.x.
const BLOB_IMPORT =
  'if(typeof e.data.urlOrBlob=="string"){importScripts(e.data.urlOrBlob)}else{var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)}';

function packageDir(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
}

/** Writes (once per content) the Node-loadable pthread worker script; returns its path. */
export function writeWorkerScript(dir: string): string {
  const pkg = packageDir();
  const mainScript = path.join(pkg, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const workerModule = path.join(pkg, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js');
  if (!fs.existsSync(mainScript) || !fs.existsSync(workerModule)) {
    throw new Error(`${pkg}: wasm-out/tfjs-backend-wasm-threaded-simd{,.worker}.js missing`);
  }
  const contents: unknown = require(workerModule).wasmWorkerContents;
  if (typeof contents !== 'string' || !contents.includes(BLOB_IMPORT)) {
    throw new Error(`${workerModule}: wasmWorkerContents not in the form this workaround knows (tfjs-backend-wasm changed?)`);
  }
  // Same escaping tfjs applies before making its Blob: the template string holds a raw "\n".
  const script = contents.replace(/\n/g, '\\n').replace(BLOB_IMPORT, `importScripts(${JSON.stringify(mainScript)});`);
  const hash = crypto.createHash('sha256').update(script).digest('hex').slice(0, 16);
  const file = path.join(dir, `ffem-tfjs-wasm-pthread-${hash}.js`);
  if (!fs.existsSync(file)) {
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, script);
    fs.renameSync(tmp, file);
  }
  return file;
}

/**
 * Prepares the next `tf.setBackend('wasm')` to start the threaded build with `threads` threads.
 * Call the returned function right after the backend is ready (or failed) to undo the patches.
 */
export function prepareWasmThreads(threads: number, scriptDir: string): () => void {
  const workerFile = writeWorkerScript(scriptDir);
  const os = require('os') as typeof import('os');
  const cpus = os.cpus;
  const createObjectURL = URL.createObjectURL;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  URL.createObjectURL = (obj: Blob) => ((obj as Blob | undefined)?.type === 'application/javascript' ? workerFile : createObjectURL(obj));
  os.cpus = () => {
    const c = cpus();
    return Array.from({ length: 2 * threads }, (_, i) => c[i % c.length]);
  };
  return () => {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  };
}

interface PThreadWorker {
  unref?: () => void;
}

/**
 * Lets the process exit while the backend's pthread workers wait for work (emscripten keeps the
 * pool's running workers referenced, so a script or a test run would never end by itself).
 */
export function unrefWasmWorkers(wasmModule: unknown): number {
  const pthread = (wasmModule as { PThread?: { runningWorkers: PThreadWorker[]; unusedWorkers: PThreadWorker[] } }).PThread;
  if (!pthread) return 0;
  const workers = [...pthread.runningWorkers, ...pthread.unusedWorkers];
  for (const w of workers) w.unref?.();
  return workers.length;
}
