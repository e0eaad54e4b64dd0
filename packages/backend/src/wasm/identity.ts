/**
 * `Identity` (tf.clone, and what tfjs-core's custom gradients run on the tensors they save) for the
 * tfjs `wasm` backend without a copy: the output shares the input's heap data, counted by the
 * backend's reference count, as the backend's own `Reshape` and the cpu backend's `Identity` do.
 * The backend's kernel copies the whole tensor, 6-7% of a ResNet50 training step here; so does its
 * `Cast` to the same dtype.
 * Strings go to the backend's own kernel.
 */
import type * as tf from '@tensorflow/tfjs';
import { withFallback } from './fallback-kernel';

export const identityConfig = withFallback('Identity', ({ inputs, backend }) => {
  const { x } = inputs as { x: tf.TensorInfo };
  if (x.dtype === 'string') return null;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
});

/** `Cast` to the dtype a tensor already has (tfjs-core's gradients make them) shares data the same way. */
export const castConfig = withFallback('Cast', ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: tf.TensorInfo };
  if (x.dtype === 'string' || x.dtype !== (attrs as { dtype: string }).dtype) return null;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
});
