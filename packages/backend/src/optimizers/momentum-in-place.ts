/**
 * tfjs' `MomentumOptimizer` (tf.train.momentum, the SGD of the training loop) updating the
 * variables and their accumulators in place on the native kernels where it can: one pass over
 * (w, m, g) on all cores instead of four elementwise ops (Mul, Add, Mul, Add), each a full pass
 * and a fresh allocation: 4 x 25 M floats per ResNet50 step.
 *
 * Same arithmetic in the same order as tfjs' own (m = μ·m + g; w = (−lr)·m + w, Nesterov:
 * w = (−lr)·(g + m·μ) + w), so the same float32 results bit for bit. In place only where nothing
 * else shares the variable's or the accumulator's memory (the backend's reference count is 1):
 * a tensor that shares it (a clone, a reshape) would otherwise see its values change. Everything
 * else (other backends, other dtypes, shared memory, the addon off) runs tfjs' ops as before.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { byteOffset } from '../wasm/heap';
import { heapU8, nativeKernels } from '../wasm/native';

interface MomentumInternals {
  learningRate: number;
  momentum: number;
  useNesterov: boolean;
  m: tf.Scalar;
  c: tf.Scalar;
  accumulations: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  incrementIterations(): void;
}

type ApplyGradients = (this: tf.Optimizer, variableGradients: tf.NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>) => void;

let original: ApplyGradients | null = null;
let inPlaceUpdates = 0;

/** Variables updated in place so far (tests check that the path was taken). */
export function momentumInPlaceCount(): number {
  return inPlaceUpdates;
}

function exclusiveOnHeap(backend: tf.KernelBackend, ...ts: tf.Tensor[]): boolean {
  return ts.every((t) => t.dtype === 'float32' && backend.refCount(t.dataId) === 1);
}

function applyGradients(this: tf.Optimizer, variableGradients: tf.NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>): void {
  const k = nativeKernels();
  if (!k || tf.getBackend() !== 'wasm') return original!.call(this, variableGradients);
  const self = this as unknown as MomentumInternals;
  const backend = tf.backend() as unknown as BackendWasm;
  const names = Array.isArray(variableGradients) ? variableGradients.map((g) => g.name) : Object.keys(variableGradients);
  names.forEach((name, i) => {
    const value = tf.engine().registeredVariables[name];
    if (self.accumulations[i] == null) {
      self.accumulations[i] = { originalName: `${name}/momentum`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
    }
    const accumulation = self.accumulations[i]!.variable;
    const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
    if (gradient == null) return;
    if (value.size > 0 && gradient.size === value.size && exclusiveOnHeap(backend as unknown as tf.KernelBackend, value, accumulation) && gradient.dtype === 'float32') {
      const o = (t: tf.Tensor) => byteOffset(backend, t);
      k.momentumUpdate(heapU8(backend), o(value), o(accumulation), o(gradient), value.size, self.learningRate, self.momentum, self.useNesterov ? 1 : 0);
      inPlaceUpdates++;
      return;
    }
    tf.tidy(() => {
      const newAccumulation = tf.add(tf.mul(self.m, accumulation), gradient);
      const newValue = self.useNesterov ? tf.add(tf.mul(self.c, tf.add(gradient, tf.mul(newAccumulation, self.m))), value) : tf.add(tf.mul(self.c, newAccumulation), value);
      accumulation.assign(newAccumulation);
      value.assign(newValue);
    });
  });
  self.incrementIterations();
}

function momentumClass(): { prototype: { applyGradients: ApplyGradients } } {
  return tf.MomentumOptimizer as unknown as { prototype: { applyGradients: ApplyGradients } };
}

/** Installs the in-place update (idempotent); returns whether it was installed now. */
export function installMomentumInPlace(): boolean {
  if (original) return false;
  const proto = momentumClass().prototype;
  original = proto.applyGradients;
  proto.applyGradients = applyGradients;
  return true;
}

/** Restores tfjs' own update (tests compare both). */
export function uninstallMomentumInPlace(): void {
  if (!original) return;
  momentumClass().prototype.applyGradients = original;
  original = null;
}
