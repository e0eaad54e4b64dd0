/** Registers this package's kernels for the tfjs `wasm` backend (idempotent). */
import * as tf from '@tensorflow/tfjs';
import { batchMatMulConfig } from './batch-mat-mul';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { conv2DConfig, fusedConv2DConfig } from './conv2d-ort';
import { castConfig, identityConfig } from './identity';
import type { FallbackKernelConfig } from './fallback-kernel';
import { movingAverageConfig } from './moving-average';
import { nativeKernelConfigs } from './native-kernels';
import { meanConfig, sumConfig } from './reduce-leading';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum';

export const wasmKernelConfigs: tf.KernelConfig[] = [conv2DBackpropFilterConfig, conv2DBackpropInputConfig, unsortedSegmentSumConfig, sumConfig, meanConfig, conv2DConfig, fusedConv2DConfig, identityConfig, castConfig, batchMatMulConfig, movingAverageConfig, ...nativeKernelConfigs];

/** Installs the kernels (replacing the backend's own where it has one); returns their names. */
export function registerWasmKernels(): string[] {
  for (const config of wasmKernelConfigs) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current) {
      (config as Partial<FallbackKernelConfig>).captureFallback?.(current.kernelFunc);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    tf.registerKernel(config);
  }
  return wasmKernelConfigs.map((c) => c.kernelName);
}
