/**
 * Kernels that replace one of the wasm backend's own for the cases they cover and hand it the
 * rest: `registerWasmKernels` passes the replaced kernel to `captureFallback` just before
 * unregistering it (after the backend started, so its setup has run).
 */
import * as tf from '@tensorflow/tfjs';

export interface FallbackKernelConfig extends tf.KernelConfig {
  captureFallback(f: tf.KernelFunc): void;
}

export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap };

/** A wasm kernel running `tryFast`, or the backend's own kernel where `tryFast` returns null. */
export function withFallback(kernelName: string, tryFast: (args: KernelArgs) => tf.TensorInfo | null): FallbackKernelConfig {
  let fallback: tf.KernelFunc | null = null;
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ((args: KernelArgs) => {
      const y = tryFast(args);
      if (y) return y;
      if (!fallback) throw new Error(`${kernelName} (wasm, @ffem/backend): the backend's own kernel was not captured`);
      return fallback(args);
    }) as tf.KernelFunc,
    captureFallback: (f) => {
      fallback = f;
    },
  };
}
