/**
 * `BatchMatMul` with a batch of one (tf.matMul of 2-D operands, the dense layers' gradients)
 * as one onnxruntime GEMM with the transposes as flags. The backend's own kernel is fast only
 * without transposes: a Dense(2048→512) filter gradient x^T·dy at batch 8 took 26 ms there. Other
 * cases (batches, int32, the XNNPACK engine) go to the backend's own kernel.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { withFallback } from './fallback-kernel';
import { gemm, ortEngine, view } from './heap';

export const batchMatMulConfig = withFallback('BatchMatMul', ({ inputs, backend, attrs }) => {
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  if (ortEngine().name !== 'onnxruntime' || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const r = a.shape.length;
  if (r < 2 || b.shape.length !== r || [...a.shape.slice(0, -2), ...b.shape.slice(0, -2)].some((d) => d !== 1)) return null;
  const [m, k] = transposeA ? [a.shape[r - 1], a.shape[r - 2]] : [a.shape[r - 2], a.shape[r - 1]];
  const n = transposeB ? b.shape[r - 2] : b.shape[r - 1];
  if (m * k * n === 0) return null;
  const y = gemm(backend as BackendWasm, a, b, m, k, n, transposeA, transposeB);
  return view(y, [...a.shape.slice(0, -2), m, n]);
});
