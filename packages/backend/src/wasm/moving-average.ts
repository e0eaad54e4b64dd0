/**
 * `FfemMovingAverage`: v − (v − x)·decay in one kernel, float32 rounding after each operation
 * exactly as the three tfjs ops it replaces (Sub, Mul by a float32 scalar, Sub). Batch norm's
 * moving mean and variance are updated this way every training step (two per layer: a ResNet50
 * ran 318 tiny ops for them, each a fresh allocation and a kernel dispatch). Per-channel sizes:
 * a plain loop on the heap.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32, offsetF32 } from './heap';

export const MOVING_AVERAGE = 'FfemMovingAverage';

export const movingAverageConfig: tf.KernelConfig = {
  kernelName: MOVING_AVERAGE,
  backendName: 'wasm',
  kernelFunc: (({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }) => {
    const { v, x } = inputs as Record<'v' | 'x', tf.TensorInfo>;
    if (v.dtype !== 'float32' || x.dtype !== 'float32' || !tf.util.arraysEqual(v.shape, x.shape)) {
      throw new Error(`${MOVING_AVERAGE}: two float32 tensors of one shape, got ${v.dtype}${JSON.stringify(v.shape)} and ${x.dtype}${JSON.stringify(x.shape)}`);
    }
    const b = backend as BackendWasm;
    const out = b.makeOutput(v.shape, 'float32');
    const heap = heapF32(b);
    const [pv, px, po] = [v, x, out].map((t) => offsetF32(b, t));
    const decay = Math.fround(attrs.decay as number);
    const n = tf.util.sizeFromShape(v.shape);
    for (let i = 0; i < n; i++) heap[po + i] = heap[pv + i] - Math.fround(Math.fround(heap[pv + i] - heap[px + i]) * decay);
    return out;
  }) as tf.KernelFunc,
};

/** v − (v − x)·decay: the kernel where the backend has it, else the three ops. */
export function movingAverage(v: tf.Tensor, x: tf.Tensor, decay: number): tf.Tensor {
  if (v.dtype === 'float32' && x.dtype === 'float32' && tf.util.arraysEqual(v.shape, x.shape) && tf.getKernel(MOVING_AVERAGE, tf.getBackend())) {
    return tf.engine().runKernel(MOVING_AVERAGE, { v, x }, { decay }) as tf.Tensor;
  }
  return tf.sub(v, tf.mul(tf.sub(v, x), decay));
}
