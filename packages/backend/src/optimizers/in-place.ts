/**
 * tfjs' `MomentumOptimizer` (tf.train.momentum: the SGD of the training loop) and `AdamOptimizer`
 * (tf.train.adam, also under AdamW) on the native kernels where they can: one pass over
 * (w, slots, g) on all cores instead of a chain of elementwise ops, each a full pass and a fresh
 * allocation (momentum 4, Adam 12 per variable; a ResNet50 has 25 M parameters).
 *
 * The slots (momentum accumulator, Adam's moments) are updated in place, only where nothing else
 * shares their memory (the backend's reference count is 1: a clone or a reshape would see its
 * values change). The weights never are: the pass writes them to a new buffer that the variable
 * is assigned, as tfjs does, because tfjs-backend-wasm caches XNNPACK operators (packed weights)
 * by a weight tensor's id (a Dense layer's `_FusedMatMul`), and a weight changed in place would
 * leave a stale packed copy there. Same arithmetic in the same order as tfjs' own, every
 * operation rounded to float32 (the addon is compiled without FMA contraction), so the same
 * results bit for bit. Everything else (other backends, other dtypes, shared slots, the addon
 * off) runs tfjs' ops as before.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { byteOffset, heapF32, heapU8, offsetF32 } from '../wasm/heap';
import { nativeKernels, type NativeKernels } from '../wasm/native';

type Slot = { originalName: string; variable: tf.Variable } | undefined;
type Gradients = tf.NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>;
type ApplyGradients = (this: tf.Optimizer, variableGradients: Gradients) => void;

interface MomentumInternals {
  learningRate: number;
  momentum: number;
  useNesterov: boolean;
  m: tf.Scalar;
  c: tf.Scalar;
  accumulations: Slot[];
  incrementIterations(): void;
}

interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
  incrementIterations(): void;
}

let nativeUpdates = 0;

/** Variables updated on the native kernels so far (tests check that the path was taken). */
export function nativeUpdateCount(): number {
  return nativeUpdates;
}

/** The variables' names and gradients, in the order tfjs' optimizers key their slots by. */
function entries(gs: Gradients): Array<[string, tf.Tensor | undefined]> {
  return Array.isArray(gs) ? gs.map((g) => [g.name, g.tensor]) : Object.keys(gs).map((name) => [name, gs[name]]);
}

function slot(slots: Slot[], i: number, name: string, suffix: string, value: tf.Variable): tf.Variable {
  if (slots[i] == null) slots[i] = { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
  return slots[i]!.variable;
}

/**
 * The addon, the heap and a new buffer for the weights when `w` can be updated natively with
 * these slots (in place) and gradient; null otherwise.
 */
function nativePlan(w: tf.Tensor, slots: tf.Tensor[], g: tf.Tensor): { k: NativeKernels; backend: BackendWasm; next: tf.Tensor } | null {
  const k = nativeKernels();
  if (!k || tf.getBackend() !== 'wasm' || w.size === 0 || g.size !== w.size || g.dtype !== 'float32' || w.dtype !== 'float32') return null;
  const backend = tf.backend() as unknown as BackendWasm;
  const exclusive = slots.every((t) => t.dtype === 'float32' && (backend as unknown as tf.KernelBackend).refCount(t.dataId) === 1);
  if (!exclusive) return null;
  return { k, backend, next: tf.engine().makeTensorFromTensorInfo(backend.makeOutput(w.shape, 'float32')) };
}

/** Gives `value` the weights the native pass wrote (the old buffer is released as by tfjs' assign). */
function commit(value: tf.Variable, next: tf.Tensor): void {
  value.assign(next);
  next.dispose();
  nativeUpdates++;
}

function momentumApply(this: tf.Optimizer, gradients: Gradients): void {
  const self = this as unknown as MomentumInternals;
  entries(gradients).forEach(([name, gradient], i) => {
    const value = tf.engine().registeredVariables[name];
    const accumulation = slot(self.accumulations, i, name, 'momentum', value);
    if (gradient == null) return;
    const fast = nativePlan(value, [accumulation], gradient);
    if (fast) {
      const o = (t: tf.Tensor) => byteOffset(fast.backend, t);
      fast.k.momentumUpdate(heapU8(fast.backend), o(value), o(accumulation), o(gradient), o(fast.next), value.size, self.learningRate, self.momentum, self.useNesterov ? 1 : 0);
      commit(value, fast.next);
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

function adamApply(this: tf.Optimizer, gradients: Gradients): void {
  const self = this as unknown as AdamInternals;
  tf.tidy(() => {
    const oneMinusAccBeta1 = tf.sub(1, self.accBeta1);
    const oneMinusAccBeta2 = tf.sub(1, self.accBeta2);
    entries(gradients).forEach(([name, gradient], i) => {
      const value = tf.engine().registeredVariables[name];
      const firstMoment = slot(self.accumulatedFirstMoment, i, name, 'm', value);
      const secondMoment = slot(self.accumulatedSecondMoment, i, name, 'v', value);
      if (gradient == null) return;
      const fast = nativePlan(value, [firstMoment, secondMoment], gradient);
      if (fast) {
        const o = (t: tf.Tensor) => byteOffset(fast.backend, t);
        const heap = heapF32(fast.backend);
        const [acc1, acc2] = [self.accBeta1, self.accBeta2].map((t) => heap[offsetF32(fast.backend, t)]);
        fast.k.adamUpdate(heapU8(fast.backend), o(value), o(firstMoment), o(secondMoment), o(gradient), o(fast.next), value.size, -self.learningRate, self.beta1, 1 - self.beta1, self.beta2, 1 - self.beta2, self.epsilon, acc1, acc2);
        commit(value, fast.next);
        return;
      }
      const newFirstMoment = tf.add(tf.mul(firstMoment, self.beta1), tf.mul(gradient, 1 - self.beta1));
      const newSecondMoment = tf.add(tf.mul(secondMoment, self.beta2), tf.mul(tf.square(gradient), 1 - self.beta2));
      const biasCorrectedFirstMoment = tf.div(newFirstMoment, oneMinusAccBeta1);
      const biasCorrectedSecondMoment = tf.div(newSecondMoment, oneMinusAccBeta2);
      firstMoment.assign(newFirstMoment);
      secondMoment.assign(newSecondMoment);
      value.assign(tf.add(tf.mul(tf.div(biasCorrectedFirstMoment, tf.add(tf.sqrt(biasCorrectedSecondMoment), self.epsilon)), -self.learningRate), value));
    });
    self.accBeta1.assign(tf.mul(self.accBeta1, self.beta1));
    self.accBeta2.assign(tf.mul(self.accBeta2, self.beta2));
  });
  self.incrementIterations();
}

type OptimizerClass = { prototype: { applyGradients: ApplyGradients } };
const patches: Array<{ cls: OptimizerClass; apply: ApplyGradients; original: ApplyGradients | null }> = [
  { cls: tf.MomentumOptimizer as unknown as OptimizerClass, apply: momentumApply, original: null },
  { cls: tf.AdamOptimizer as unknown as OptimizerClass, apply: adamApply, original: null },
];

/**
 * Installs the in-place updates (idempotent); the tfjs path runs inside them for whatever they
 * do not cover. Returns the optimizers' names.
 */
export function installOptimizersInPlace(): string[] {
  for (const p of patches) {
    if (p.original) continue;
    p.original = p.cls.prototype.applyGradients;
    p.cls.prototype.applyGradients = p.apply;
  }
  return ['Momentum', 'Adam'];
}

/** Restores tfjs' own updates (tests compare both). */
export function uninstallOptimizersInPlace(): void {
  for (const p of patches) {
    if (!p.original) continue;
    p.cls.prototype.applyGradients = p.original;
    p.original = null;
  }
}
