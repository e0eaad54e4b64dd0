import * as os from 'os';
import * as tf from '@tensorflow/tfjs';
import { registerGradients } from './gradients/register-gradients';
import { ortEngine, type HeavyEngine } from './wasm/heap';
import { installOptimizersInPlace } from './optimizers/in-place';
import { nativeKernels, nativeKernelsWhy } from './wasm/native';
import { registerWasmKernels } from './wasm/register-kernels';
import { prepareWasmThreads, unrefWasmWorkers } from './wasm/threads';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  /** tfjs backend name now active ('tensorflow', 'wasm', 'cpu'). */
  name: string;
  /** Which package provided it, e.g. '@tensorflow/tfjs-node-gpu'. */
  provider: string;
  /** Why the better candidates were not used (missing package, failed init). */
  skipped: string[];
  /** Threads the backend computes with (wasm: its XNNPACK pool; others: 0 = not known). */
  threads: number;
  /** Kernels and gradients this package installed on top of tfjs'. */
  installed: string[];
}

interface Started {
  threads: number;
  installed: string[];
}

interface Candidate {
  choice: Exclude<BackendChoice, 'auto'>;
  provider: string;
  /** Loads the package, activates the backend; throws when it cannot be had. */
  start: (skipped: string[]) => Promise<Started>;
}

async function activate(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}

/**
 * Threads for the wasm backend: FFEM_WASM_THREADS, else one where the heavy kernels run on
 * onnxruntime (which uses every core itself, and reads and writes the single-threaded build's
 * heap in place, where the threaded build's shared heap costs a copy each way: ResNet50 training
 * 339 vs 429 ms/image here), else one per core (at most 8, the size of the backend's worker
 * pool). 1 selects the single-threaded build.
 */
export function wasmThreadsWanted(env: NodeJS.ProcessEnv = process.env, heavy: HeavyEngine = ortEngine().name): number {
  const raw = env.FFEM_WASM_THREADS;
  if (raw == null || raw === '') return heavy === 'onnxruntime' ? 1 : Math.max(1, Math.min(8, os.cpus().length));
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`FFEM_WASM_THREADS: '${raw}' is not an integer in 1..8`);
  return n;
}

async function startWasm(skipped: string[]): Promise<Started> {
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  const wanted = wasmThreadsWanted();
  let active = false;
  // The thread count is fixed when the backend first starts; later calls keep what runs.
  if (wanted > 1 && !tf.engine().registry.wasm) {
    let restore = (): void => undefined;
    try {
      restore = prepareWasmThreads(wanted, os.tmpdir());
      await activate('wasm');
      active = true;
    } catch (err) {
      skipped.push(`wasm with ${wanted} threads: ${(err as Error).message.split('\n')[0]}`);
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      wasm.setThreadsCount(1);
    } finally {
      restore();
    }
  }
  // (No tf.getBackend() after a failed start: it would try to initialise the pending backend.)
  if (!active) await activate('wasm');
  unrefWasmWorkers((tf.backend() as unknown as { wasm: unknown }).wasm);
  const heavy = ortEngine();
  const engineNote = heavy.name === 'onnxruntime' ? 'GEMM and convolutions on onnxruntime (MLAS)' : `GEMM and convolutions on XNNPACK (${heavy.why})`;
  const native = nativeKernels();
  const nativeNote = native ? `native training kernels (${native.threads()} threads)` : `no native training kernels (${nativeKernelsWhy()})`;
  const optimizers = installOptimizersInPlace().map((o) => `${o} update in one native pass`);
  const installed = [...registerWasmKernels(), ...registerGradients().map((k) => `${k} gradient`), ...optimizers, engineNote, nativeNote];
  return { threads: Math.max(1, wasm.getThreadsCount()), installed };
}

const candidates: Candidate[] = [
  {
    choice: 'tensorflow',
    provider: '@tensorflow/tfjs-node-gpu',
    start: async () => {
      require('@tensorflow/tfjs-node-gpu');
      await activate('tensorflow');
      return { threads: 0, installed: [] };
    },
  },
  {
    choice: 'tensorflow',
    provider: '@tensorflow/tfjs-node',
    start: async () => {
      require('@tensorflow/tfjs-node');
      await activate('tensorflow');
      return { threads: 0, installed: [] };
    },
  },
  { choice: 'wasm', provider: '@tensorflow/tfjs-backend-wasm', start: startWasm },
  {
    choice: 'cpu',
    provider: '@tensorflow/tfjs-backend-cpu',
    start: async () => {
      await activate('cpu');
      return { threads: 1, installed: registerGradients().map((k) => `${k} gradient`) };
    },
  },
];

/** The candidates in order of preference, filtered by the user's choice. */
export function availableBackends(choice: BackendChoice = 'auto'): string[] {
  return candidates.filter((c) => choice === 'auto' || c.choice === choice).map((c) => c.provider);
}

/**
 * Activates the best backend that loads (tfjs-node-gpu → tfjs-node → wasm → cpu), or the one
 * named. For wasm it starts the multi-threaded build (one thread per core, FFEM_WASM_THREADS to
 * override) and installs this package's fast convolution-gradient kernels; on every backend it
 * installs the tile-free batch-norm gradient. Logs what runs through `log` (default: stderr)
 * unless `log` is null.
 */
export async function initBackend(
  choice: BackendChoice = 'auto',
  log: ((line: string) => void) | null = (l) => process.stderr.write(`${l}\n`),
): Promise<BackendInfo> {
  const skipped: string[] = [];
  for (const c of candidates) {
    if (choice !== 'auto' && c.choice !== choice) continue;
    try {
      const started = await c.start(skipped);
      const info: BackendInfo = { name: tf.getBackend(), provider: c.provider, skipped, ...started };
      const details = [info.threads ? `${info.threads} thread${info.threads > 1 ? 's' : ''}` : '', info.installed.length ? `ffem: ${info.installed.join(', ')}` : '']
        .filter(Boolean)
        .join('; ');
      log?.(`[ffem] tfjs backend: ${info.name} (${info.provider}${details ? `; ${details}` : ''})${skipped.length ? `; skipped: ${skipped.join('; ')}` : ''}`);
      return info;
    } catch (err) {
      skipped.push(`${c.provider}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`no tfjs backend could be started for '${choice}': ${skipped.join('; ')}`);
}
