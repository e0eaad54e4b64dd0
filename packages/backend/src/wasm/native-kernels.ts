/**
 * tfjs kernels for the `wasm` backend on the native training kernels (native.ts): batch norm in
 * training and its gradient (kernel names of our own, run by gradients/batch-norm-training.ts),
 * the ReLU gradient (run by gradients/relu-grad.ts), `MaxPoolGrad` (the backend's own kernel is
 * slow, 6% of a ResNet50 step, and wrong in places: see below), and `Relu` and `Add` on large
 * tensors. Each checks that the addon is loaded at call time (tests turn it off), so callers of
 * the kernels of our own ask {@link nativeKernelReady} first.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { withFallback } from './fallback-kernel';
import { byteOffset, heapF32, heapU8, offsetF32 } from './heap';
import { type GeometryArgs, nativeKernels, type NativeKernels } from './native';

export const BATCH_NORM_TRAINING = 'FfemBatchNormTraining';
export const BATCH_NORM_TRAINING_GRAD = 'FfemBatchNormTrainingGrad';
export const RELU_GRAD = 'FfemReluGrad';

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap };

/** Whether `kernelName` can run now: registered for the active backend and the addon loaded. */
export function nativeKernelReady(kernelName: string): boolean {
  return nativeKernels() !== null && tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

function addon(kernelName: string): NativeKernels {
  const k = nativeKernels();
  if (!k) throw new Error(`${kernelName} (wasm, @ffem/backend): the native kernels are not loaded`);
  return k;
}

function float32(kernelName: string, ts: tf.TensorInfo[]): void {
  for (const t of ts) if (t.dtype !== 'float32') throw new Error(`${kernelName}: float32 tensors only, got ${t.dtype}`);
}

/** Inputs {x, gamma, beta}, attr epsilon → [y, mean, variance, invStd], statistics over all axes but the last. */
const batchNormTrainingConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM_TRAINING,
  backendName: 'wasm',
  kernelFunc: (({ inputs, backend, attrs }: Args) => {
    const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
    const b = backend as BackendWasm;
    float32(BATCH_NORM_TRAINING, [x, gamma, beta]);
    const c = x.shape[x.shape.length - 1];
    const y = b.makeOutput(x.shape, 'float32');
    const [mean, variance, invStd] = [0, 1, 2].map(() => b.makeOutput([c], 'float32'));
    const o = (t: tf.TensorInfo) => byteOffset(b, t);
    addon(BATCH_NORM_TRAINING).bnForward(heapU8(b), o(x), o(y), o(gamma), o(beta), o(mean), o(variance), o(invStd), tf.util.sizeFromShape(x.shape) / c, c, attrs!.epsilon as number);
    return [y, mean, variance, invStd];
  }) as tf.KernelFunc,
};

/** Inputs {dy, x, mean, invStd, gamma} → [dx, dGamma, dBeta]. */
const batchNormTrainingGradConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM_TRAINING_GRAD,
  backendName: 'wasm',
  kernelFunc: (({ inputs, backend }: Args) => {
    const { dy, x, mean, invStd, gamma } = inputs as Record<'dy' | 'x' | 'mean' | 'invStd' | 'gamma', tf.TensorInfo>;
    const b = backend as BackendWasm;
    float32(BATCH_NORM_TRAINING_GRAD, [dy, x, mean, invStd, gamma]);
    const c = x.shape[x.shape.length - 1];
    const dx = b.makeOutput(x.shape, 'float32');
    const [dGamma, dBeta] = [0, 1].map(() => b.makeOutput([c], 'float32'));
    const o = (t: tf.TensorInfo) => byteOffset(b, t);
    addon(BATCH_NORM_TRAINING_GRAD).bnBackward(heapU8(b), o(dy), o(x), o(mean), o(invStd), o(gamma), o(dx), o(dGamma), o(dBeta), tf.util.sizeFromShape(x.shape) / c, c);
    return [dx, dGamma, dBeta];
  }) as tf.KernelFunc,
};

/** Inputs {dy, x} → dy·step(x), as tfjs-core's Relu gradient. */
const reluGradConfig: tf.KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: 'wasm',
  kernelFunc: (({ inputs, backend }: Args) => {
    const { dy, x } = inputs as Record<'dy' | 'x', tf.TensorInfo>;
    const b = backend as BackendWasm;
    float32(RELU_GRAD, [dy, x]);
    const dx = b.makeOutput(x.shape, 'float32');
    addon(RELU_GRAD).reluGrad(heapU8(b), byteOffset(b, dy), byteOffset(b, x), byteOffset(b, dx), tf.util.sizeFromShape(x.shape));
    return dx;
  }) as tf.KernelFunc,
};

/**
 * MaxPoolGrad for float32 NHWC without dilation (all tfjs' maxPool makes): each dy goes to its
 * window's first maximum in row-major window order, as tfjs' reference (cpu) kernel. Native where
 * the addon is loaded, else the same loops in JS: the backend's own kernel puts gradients at the
 * wrong position on non-square inputs with several channels (tfjs-backend-wasm 4.22: an [1, 8, 6, 3]
 * input, 2x2 windows, stride 2, sent a window's gradient to another row), so it only gets what this
 * does not cover.
 */
const maxPoolGradConfig = withFallback('MaxPoolGrad', ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as Record<'dy' | 'input', tf.TensorInfo>;
  if (dy.dtype !== 'float32' || input.dtype !== 'float32' || tf.util.sizeFromShape(input.shape) === 0) return null;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  const b = backend as BackendWasm;
  const dx = b.makeOutput(input.shape, 'float32');
  const geometry: GeometryArgs = [info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left];
  const k = nativeKernels();
  if (k) k.maxPoolGrad(heapU8(b), byteOffset(b, dy), byteOffset(b, input), byteOffset(b, dx), ...geometry);
  else maxPoolGradJs(heapF32(b), offsetF32(b, dy), offsetF32(b, input), offsetF32(b, dx), ...geometry);
  return dx;
});

/** kernels.c's max_pool_grad_part in JS (indices in float32 elements of `heap`). */
function maxPoolGradJs(heap: Float32Array, dy: number, x: number, dx: number, n: number, inH: number, inW: number, c: number, outH: number, outW: number, fH: number, fW: number, sH: number, sW: number, padTop: number, padLeft: number): void {
  heap.fill(0, dx, dx + n * inH * inW * c);
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  for (let b = 0; b < n; b++) {
    const xb = x + b * inH * inW * c;
    const dxb = dx + b * inH * inW * c;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        best.fill(-Infinity);
        at.fill(-1);
        for (let fh = 0; fh < fH; fh++) {
          const h = oh * sH - padTop + fh;
          if (h < 0 || h >= inH) continue;
          for (let fw = 0; fw < fW; fw++) {
            const w = ow * sW - padLeft + fw;
            if (w < 0 || w >= inW) continue;
            const base = (h * inW + w) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = heap[xb + base + ch];
              if (v > best[ch]) {
                best[ch] = v;
                at[ch] = base + ch;
              }
            }
          }
        }
        const g = dy + ((b * outH + oh) * outW + ow) * c;
        for (let ch = 0; ch < c; ch++) if (at[ch] >= 0) heap[dxb + at[ch]] += heap[g + ch];
      }
    }
  }
}

/** Float32 tensors of at least this many elements go to the native elementwise kernels (below, a call costs more than the backend's own pass). */
const NATIVE_ELEMENTWISE_FROM = 1 << 14;

/** `Relu` on all cores for large float32 tensors. */
const reluConfig = withFallback('Relu', ({ inputs, backend }) => {
  const { x } = inputs as { x: tf.TensorInfo };
  const k = nativeKernels();
  const n = tf.util.sizeFromShape(x.shape);
  if (!k || x.dtype !== 'float32' || n < NATIVE_ELEMENTWISE_FROM) return null;
  const b = backend as BackendWasm;
  const y = b.makeOutput(x.shape, 'float32');
  k.relu(heapU8(b), byteOffset(b, x), byteOffset(b, y), n);
  return y;
});

/** `Add` of two large float32 tensors of one shape (residual sums, gradient accumulation) on all cores. */
const addConfig = withFallback('Add', ({ inputs, backend }) => {
  const { a, b: bb } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const k = nativeKernels();
  const n = tf.util.sizeFromShape(a.shape);
  if (!k || a.dtype !== 'float32' || bb.dtype !== 'float32' || n < NATIVE_ELEMENTWISE_FROM || !tf.util.arraysEqual(a.shape, bb.shape)) return null;
  const b = backend as BackendWasm;
  const out = b.makeOutput(a.shape, 'float32');
  k.add(heapU8(b), byteOffset(b, a), byteOffset(b, bb), byteOffset(b, out), n);
  return out;
});

export const nativeKernelConfigs = [batchNormTrainingConfig, batchNormTrainingGradConfig, reluGradConfig, maxPoolGradConfig, reluConfig, addConfig];
