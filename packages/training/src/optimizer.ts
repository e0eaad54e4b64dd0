/**
 * The optimizers of the original recipe, behind one small interface the loop uses:
 * - SGD: momentum 0.9, Nesterov (tf.keras.optimizers.SGD(momentum=0.9, nesterov=True));
 * - Adam: Keras defaults (beta1 0.9, beta2 0.999, epsilon 1e-7);
 * - AdamW: Adam plus decoupled weight decay as tfa.optimizers.AdamW applies it: before each
 *   update every variable is scaled by (1 - weight_decay); the decay is not multiplied by the lr.
 * State (`getState`/`setState`) round-trips exactly, so a resumed run continues bit for bit.
 */
import * as tf from '@tensorflow/tfjs';

/** A tensor with the name the optimizer keys its state by. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export type OptimizerName = 'SGD' | 'Adam' | 'AdamW';

export interface OptimizerOptions {
  lr: number;
  /** AdamW only (original: 1e-4). */
  weightDecay?: number;
}

export interface TrainOptimizer {
  readonly name: OptimizerName;
  setLearningRate(lr: number): void;
  /** One update: `grads[i]` is the gradient of `vars[i]`; always pass the variables in one order. */
  applyGradients(vars: tf.Variable[], grads: tf.Tensor[]): void;
  /** Copies of the optimizer's state tensors (the caller disposes them). */
  getState(): Promise<NamedTensor[]>;
  /** Restores what `getState` returned into a fresh optimizer (tensors are copied). */
  setState(state: NamedTensor[]): Promise<void>;
  dispose(): void;
}

/** Private fields of tfjs optimizers this module reads and writes. */
interface TfjsOptimizerInternals {
  learningRate: number;
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
}

const ACC_BETA1 = '__adam/accBeta1';
const ACC_BETA2 = '__adam/accBeta2';

class TfjsOptimizer implements TrainOptimizer {
  constructor(
    readonly name: OptimizerName,
    private readonly opt: tf.Optimizer,
    private readonly weightDecay = 0,
  ) {}

  private get internals(): TfjsOptimizerInternals {
    return this.opt as unknown as TfjsOptimizerInternals;
  }

  setLearningRate(lr: number): void {
    // SGD/Momentum cache -lr in a scalar that setLearningRate renews; Adam reads the field.
    const sgd = this.opt as unknown as { setLearningRate?: (lr: number) => void };
    if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(lr);
    else this.internals.learningRate = lr;
  }

  applyGradients(vars: tf.Variable[], grads: tf.Tensor[]): void {
    if (vars.length !== grads.length) throw new Error(`applyGradients: ${vars.length} variables, ${grads.length} gradients`);
    if (this.weightDecay > 0) {
      const keep = 1 - this.weightDecay;
      tf.tidy(() => {
        for (const v of vars) v.assign(tf.mul(v, keep));
      });
    }
    this.opt.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i] })));
  }

  async getState(): Promise<NamedTensor[]> {
    const weights = await this.opt.getWeights();
    const out = weights.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
    // Adam keeps beta1^t, beta2^t as running products; setWeights would recompute them with pow(),
    // which can differ in the last bit. Carry them so a resumed run matches exactly.
    const { accBeta1, accBeta2 } = this.internals;
    if (accBeta1 && accBeta2) {
      out.push({ name: ACC_BETA1, tensor: tf.clone(accBeta1) }, { name: ACC_BETA2, tensor: tf.clone(accBeta2) });
    }
    // iterations is a fresh scalar from getWeights: dispose what we cloned from.
    tf.dispose(weights[0]?.tensor);
    return out;
  }

  async setState(state: NamedTensor[]): Promise<void> {
    const acc = state.filter((s) => s.name === ACC_BETA1 || s.name === ACC_BETA2);
    const rest = state.filter((s) => s.name !== ACC_BETA1 && s.name !== ACC_BETA2);
    await this.opt.setWeights(rest.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) })));
    const { accBeta1, accBeta2 } = this.internals;
    for (const a of acc) {
      const target = a.name === ACC_BETA1 ? accBeta1 : accBeta2;
      if (!target) throw new Error(`optimizer state: ${a.name} given to a ${this.name} optimizer`);
      target.assign(a.tensor);
    }
  }

  dispose(): void {
    this.opt.dispose();
  }
}

/** Creates the named optimizer with learning rate `lr`. */
export function createOptimizer(name: OptimizerName, options: OptimizerOptions): TrainOptimizer {
  switch (name) {
    case 'SGD':
      return new TfjsOptimizer(name, tf.train.momentum(options.lr, 0.9, true));
    case 'Adam':
      return new TfjsOptimizer(name, tf.train.adam(options.lr, 0.9, 0.999, 1e-7));
    case 'AdamW':
      return new TfjsOptimizer(name, tf.train.adam(options.lr, 0.9, 0.999, 1e-7), options.weightDecay ?? 1e-4);
    default:
      throw new Error(`optimizer: unknown '${name as string}' (SGD | Adam | AdamW)`);
  }
}
