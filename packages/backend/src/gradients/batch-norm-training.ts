/**
 * Training-mode batch normalization over the last axis as one differentiable op with the
 * analytic gradient, and tfjs-layers' `BatchNormalization` made to use it.
 *
 * tfjs-layers computes a training batch norm as `tf.moments` (Mean, Sub, Square, Mean) followed
 * by `tf.batchNorm`, and lets autodiff work back through all of them: a dozen full-size
 * elementwise ops and four reductions per layer and step, the largest share of a ResNet training
 * step once the convolutions are fast. With x̂ = (x - μ)·σ⁻¹ saved from the forward pass, the
 * gradient is (Ioffe & Szegedy 2015, with N = elements per channel)
 *
 *   dβ = Σ dy,   dγ = Σ dy·x̂,   dx = (γ·σ⁻¹ / N) · (N·dy - dβ - x̂·dγ)
 *
 * which, with the per-channel factors folded first, is five full-size ops and two reductions
 * (four and two forward). Where the native kernels run (wasm backend, native/kernels.c), each
 * direction is two passes on all cores instead: per-channel sums (in double), then one affine
 * pass (dγ from Σdy·x − μΣdy, so x itself is saved rather than x − μ). Same values as autodiff up
 * to float32 rounding (checked against tfjs-layers' own path in the spec).
 */
import * as tf from '@tensorflow/tfjs';
import { movingAverage } from '../wasm/moving-average';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD, nativeKernelReady } from '../wasm/native-kernels';

export interface BatchNormTrainingResult {
  y: tf.Tensor;
  /** Batch mean and (biased) variance per channel, for the moving averages; not differentiable. */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/**
 * y = γ·(x - μ)/sqrt(σ² + ε) + β with μ, σ² the mean and variance of `x` over all axes but the last.
 * `mean` and `variance` are kept out of every tidy scope: the caller disposes them.
 */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): BatchNormTrainingResult {
  const axes = [...Array(x.rank - 1).keys()];
  const n = x.size / x.shape[x.rank - 1];
  let mean: tf.Tensor1D | null = null;
  let variance: tf.Tensor1D | null = null;
  const native = x.dtype === 'float32' && x.size > 0 && nativeKernelReady(BATCH_NORM_TRAINING);
  const op = tf.customGrad(((xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    if (native) {
      // Two passes each way on the native kernels (statistics, normalize; sums, dx), saving x itself.
      const [y, m, v, invStd] = tf.engine().runKernel(BATCH_NORM_TRAINING, { x: xs, gamma: g, beta: b }, { epsilon }) as tf.Tensor[];
      save([xs, m, invStd, g]);
      mean = tf.keep(m as tf.Tensor1D);
      variance = tf.keep(v as tf.Tensor1D);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const [sx, sm, sis, sg] = saved;
          return tf.engine().runKernel(BATCH_NORM_TRAINING_GRAD, { dy: dy as tf.Tensor, x: sx, mean: sm, invStd: sis, gamma: sg }) as tf.Tensor[];
        },
      };
    }
    const m = tf.mean(xs, axes) as tf.Tensor1D;
    const xc = tf.sub(xs, m);
    const v = tf.mean(tf.square(xc), axes) as tf.Tensor1D;
    const invStd = tf.rsqrt(tf.add(v, epsilon)) as tf.Tensor1D;
    save([xc, invStd, g]);
    mean = tf.keep(m);
    variance = tf.keep(v);
    return {
      // Per-channel factors folded first: y = (x − μ)·(γσ⁻¹) + β, two full-size passes after xc.
      value: tf.add(tf.mul(xc, tf.mul(invStd, g)), b),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const d = dy as tf.Tensor;
        const [c, is, gg] = saved;
        // With x̂ = xc·σ⁻¹ and a = γσ⁻¹: dβ = Σdy, dγ = σ⁻¹·Σ(dy·xc), and
        // dx = a·dy − a·dβ/N − xc·(a·σ⁻¹·dγ/N): four full-size passes and one for dγ.
        const dBeta = tf.sum(d, axes);
        const dGamma = tf.mul(tf.sum(tf.mul(d, c), axes), is);
        const a = tf.mul(gg, is);
        const dx = tf.sub(tf.sub(tf.mul(d, a), tf.mul(c, tf.div(tf.mul(tf.mul(a, is), dGamma), n))), tf.div(tf.mul(a, dBeta), n));
        return [dx, dGamma, dBeta];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const y = op(x, gamma, beta);
  return { y, mean: mean!, variance: variance! };
}

interface BatchNormLayerInternals {
  axis: number;
  epsilon: number;
  momentum: number;
  center: boolean;
  scale: boolean;
  gamma: tf.LayerVariable | null;
  beta: tf.LayerVariable | null;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

type LayerCall = (this: tf.layers.Layer, inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict) => tf.Tensor | tf.Tensor[];

let originalCall: LayerCall | null = null;

/** The BatchNormalization class of tfjs-layers (not exported by name, so found through its factory). */
function batchNormalizationClass(): { prototype: { call: LayerCall } } {
  return Object.getPrototypeOf(tf.layers.batchNormalization({})).constructor;
}

/**
 * Makes tfjs-layers' `BatchNormalization` use {@link batchNormTraining} when training over the
 * last axis with both scale and center (every batch norm of the models here); other cases, and
 * inference, run the layer's own code. Moving averages are updated exactly as the layer does.
 * Idempotent; returns whether it was installed now.
 */
export function installBatchNormTraining(): boolean {
  const cls = batchNormalizationClass();
  if (originalCall) return false;
  const original = cls.prototype.call;
  originalCall = original;
  cls.prototype.call = function (this: tf.layers.Layer, inputs, kwargs) {
    const layer = this as unknown as BatchNormLayerInternals;
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const training = kwargs?.training === true;
    const lastAxis = layer.axis === -1 || layer.axis === input.rank - 1;
    if (!training || !lastAxis || !layer.scale || !layer.center || !layer.gamma || !layer.beta || (Array.isArray(inputs) && inputs.length !== 1)) {
      return original.call(this, inputs, kwargs);
    }
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTraining(input, layer.gamma!.read() as tf.Tensor1D, layer.beta!.read() as tf.Tensor1D, layer.epsilon);
      // As the layer's doMovingAverage: v <- v - (v - value) * (1 - momentum).
      for (const [variable, value] of [
        [layer.movingMean, mean],
        [layer.movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          variable.write(movingAverage(variable.read(), value, 1 - layer.momentum));
        });
      }
      tf.dispose([mean, variance]);
      return y;
    });
  };
  return true;
}

/** Restores the layer's own training path (tests compare both). */
export function uninstallBatchNormTraining(): void {
  if (!originalCall) return;
  batchNormalizationClass().prototype.call = originalCall;
  originalCall = null;
}
