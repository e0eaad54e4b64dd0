/**
 * `Identity` (tf.clone, and what tfjs-core's custom gradients run on the tensors they save) for the
 * tfjs `wasm` backend without a copy: the output shares the input's heap data, counted by the
 * backend's reference count, as the backend's own `Reshape` and the cpu backend's `Identity` do.
 * The backend's kernel copies the whole tensor, 6-7% of a ResNet50 training step here.
 * Strings go to the backend's own kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { FallbackKernelConfig } from './reduce-leading';

let fallback: tf.KernelFunc | null = null;

export const identityConfig: FallbackKernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: ((args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend }) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') {
      if (!fallback) throw new Error("Identity (wasm, @ffem/backend): the backend's own kernel was not captured");
      return fallback(args);
    }
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }) as tf.KernelFunc,
  captureFallback: (f) => {
    fallback = f;
  },
};
