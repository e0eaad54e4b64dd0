/**
 * The native training kernels (native/kernels.c, built by `native/build.mjs` at `npm ci`): the
 * memory-bound steps of a training step (batch-norm statistics, normalization and gradient, ReLU
 * and its gradient, add, the MaxPool gradient, im2col/col2im, the momentum and Adam updates) on
 * all cores, working directly on the wasm heap (`heapU8` in heap.ts).
 * `FFEM_WASM_NATIVE=0` turns them off (tfjs' own ops run instead, same results up to rounding).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** n, inH, inW, inC, outH, outW, kH, kW, strideH, strideW, padTop, padLeft. */
export type GeometryArgs = [number, number, number, number, number, number, number, number, number, number, number, number];

/** Byte offsets into the heap; sizes in elements (see kernels.c for each function's contract). */
export interface NativeKernels {
  bnForward(heap: Uint8Array, x: number, y: number, gamma: number, beta: number, mean: number, variance: number, invStd: number, rows: number, channels: number, epsilon: number): void;
  bnBackward(heap: Uint8Array, dy: number, x: number, mean: number, invStd: number, gamma: number, dx: number, dGamma: number, dBeta: number, rows: number, channels: number): void;
  reluGrad(heap: Uint8Array, dy: number, x: number, dx: number, n: number): void;
  relu(heap: Uint8Array, x: number, y: number, n: number): void;
  add(heap: Uint8Array, a: number, b: number, out: number, n: number): void;
  /** The window geometry as im2col's (n, inH, inW, channels, outH, outW, filterH, filterW, ...). */
  maxPoolGrad(heap: Uint8Array, dy: number, x: number, dx: number, ...geometry: GeometryArgs): void;
  /** m updated in place, the new weights written to wOut. */
  momentumUpdate(heap: Uint8Array, w: number, m: number, g: number, wOut: number, n: number, lr: number, momentum: number, nesterov: number): void;
  /** m, v updated in place, the new weights written to wOut; the scalars as tfjs computes them (in double); accBeta1/2: β^t before this step (tfjs' accBeta variables). */
  adamUpdate(heap: Uint8Array, w: number, m: number, v: number, g: number, wOut: number, n: number, negLr: number, beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, epsilon: number, accBeta1: number, accBeta2: number): void;
  /** NHWC column matrix (rows = output pixels, columns = (kh, kw, c)); see im2col.ts. */
  im2col(heap: Uint8Array, x: number, cols: number, ...geometry: GeometryArgs): void;
  /** dx (zeroed first) += the column matrix at each pixel's image positions. */
  col2im(heap: Uint8Array, dx: number, cols: number, ...geometry: GeometryArgs): void;
  /** Threads of the addon's pool, the caller included (FFEM_NATIVE_THREADS, else all cores). */
  threads(): number;
}

/** Where `native/build.mjs` puts the addon and its outcome. */
export const NATIVE_KERNELS_DIR = path.join(__dirname, '..', '..', 'native', 'build');

const calls = new Map<string, number>();

/** How many times the addon's function `name` has run (tests check that a path was taken). */
export function nativeCallCount(name: keyof NativeKernels): number {
  return calls.get(name) ?? 0;
}

let addon: { kernels: NativeKernels | null; why?: string } | null = null;
let enabled = process.env.FFEM_WASM_NATIVE !== '0';

/** What native/build.mjs wrote (via tools/native-addon.mjs). */
export interface NativeBuildStatus {
  built: boolean;
  reason?: string;
  compiler?: string;
  /** The CPU model it was built on (builds with -march=native run only there). */
  cpu?: string;
}

/**
 * Why an addon built as `status` says must not be loaded on a CPU `cpuModel` (null: it may): a
 * build with -march=native can use instructions another CPU lacks (the process would die on them).
 */
export function buildMismatch(status: NativeBuildStatus | null, cpuModel: string): string | null {
  if (!status) return 'no native/build/status.json (the build never ran)';
  if (!status.built) return `not built: ${status.reason ?? 'unknown reason'}`;
  if (status.compiler?.includes('-march=native') && status.cpu && status.cpu !== cpuModel) {
    return `built for another CPU (${status.cpu}; this one is ${cpuModel}): rebuild with node packages/backend/native/build.mjs`;
  }
  return null;
}

function readStatus(): NativeBuildStatus | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(NATIVE_KERNELS_DIR, 'status.json'), 'utf8')) as NativeBuildStatus;
  } catch {
    return null;
  }
}

function load(): { kernels: NativeKernels | null; why?: string } {
  if (!addon) {
    const mismatch = buildMismatch(readStatus(), os.cpus()[0]?.model ?? 'unknown');
    if (mismatch) return (addon = { kernels: null, why: mismatch });
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const raw = require(path.join(NATIVE_KERNELS_DIR, 'kernels.node')) as Record<string, (...a: unknown[]) => unknown>;
      // Each function counted (tests check that a path was taken).
      const counted = Object.fromEntries(
        Object.entries(raw).map(([name, fn]) => [
          name,
          (...a: unknown[]) => {
            calls.set(name, (calls.get(name) ?? 0) + 1);
            return fn(...a);
          },
        ]),
      );
      addon = { kernels: counted as unknown as NativeKernels };
    } catch (e) {
      addon = { kernels: null, why: (e as Error).message.split('\n')[0] };
    }
  }
  return addon;
}

/** The kernels, or null where they are turned off or could not be built (`nativeKernelsWhy` says why). */
export function nativeKernels(): NativeKernels | null {
  return enabled ? load().kernels : null;
}

/** Why {@link nativeKernels} is null (undefined when it is not). */
export function nativeKernelsWhy(): string | undefined {
  if (!enabled) return 'FFEM_WASM_NATIVE=0';
  return load().why;
}

/** Turns the kernels on or off for the next calls (the parity tests run both ways). */
export function setNativeKernels(on: boolean): void {
  enabled = on;
}

