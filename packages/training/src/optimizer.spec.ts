import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { createOptimizer, type OptimizerName } from './optimizer';

const TOL = { atol: 1e-7, rtol: 1e-6 };
let n = 0;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Runs `steps` updates of w on fixed gradients g_t = [t, -2t]; returns w after each. */
function runSteps(name: OptimizerName, lrs: number[], wd?: number): number[][] {
  const v = tf.variable(tf.tensor1d([1, 2]), true, `opt-test-${n++}`);
  const opt = createOptimizer(name, { lr: lrs[0], weightDecay: wd });
  const out: number[][] = [];
  lrs.forEach((lr, t) => {
    opt.setLearningRate(lr);
    const g = tf.tensor1d([t + 1, -2 * (t + 1)]);
    opt.applyGradients([v], [g]);
    g.dispose();
    out.push([...v.dataSync()]);
  });
  opt.dispose();
  v.dispose();
  return out;
}

describe('createOptimizer', () => {
  it('SGD: momentum 0.9, Nesterov (Keras: v = m v - lr g; w += m v - lr g), lr changes take effect', () => {
    const lrs = [0.1, 0.1, 0.05];
    let w = [1, 2];
    let vel = [0, 0];
    const want: number[][] = [];
    lrs.forEach((lr, t) => {
      const g = [t + 1, -2 * (t + 1)];
      vel = vel.map((vi, i) => 0.9 * vi - lr * g[i]);
      w = w.map((wi, i) => wi + 0.9 * vel[i] - lr * g[i]);
      want.push(w);
    });
    // tfjs keeps accum = m accum + g and applies -lr (g + m accum): the same as Keras while lr is constant.
    runSteps('SGD', lrs.slice(0, 2)).forEach((w2, i) => expectClose(w2, want[i], TOL, `step ${i}`));
    // After an lr change the two differ (Keras folds the old lr into v); check tfjs' form.
    let acc = [0, 0];
    let w3 = [1, 2];
    const tfjsWant = lrs.map((lr, t) => {
      const g = [t + 1, -2 * (t + 1)];
      acc = acc.map((a, i) => 0.9 * a + g[i]);
      w3 = w3.map((wi, i) => wi - lr * (g[i] + 0.9 * acc[i]));
      return w3;
    });
    runSteps('SGD', lrs).forEach((w2, i) => expectClose(w2, tfjsWant[i], TOL, `step ${i}`));
  });

  /**
   * The weights after each step of Keras' Adam (beta1 0.9, beta2 0.999, epsilon 1e-7) from
   * w = [1, 2] with gradient [t + 1, -2(t + 1)] at step t; with `wd`, the decoupled decay
   * w *= (1 - wd) comes first (tfa.optimizers.AdamW).
   */
  const adamWant = (lrs: number[], wd?: number): number[][] => {
    let w = [1, 2];
    let m = [0, 0];
    let v = [0, 0];
    const want: number[][] = [];
    lrs.forEach((lr, t) => {
      const g = [t + 1, -2 * (t + 1)];
      if (wd !== undefined) w = w.map((wi) => wi * (1 - wd));
      m = m.map((mi, i) => 0.9 * mi + 0.1 * g[i]);
      v = v.map((vi, i) => 0.999 * vi + 0.001 * g[i] * g[i]);
      const mh = m.map((x) => x / (1 - 0.9 ** (t + 1)));
      const vh = v.map((x) => x / (1 - 0.999 ** (t + 1)));
      w = w.map((wi, i) => wi - (lr * mh[i]) / (Math.sqrt(vh[i]) + 1e-7));
      want.push(w);
    });
    return want;
  };

  it('Adam: Keras defaults (beta1 0.9, beta2 0.999, epsilon 1e-7)', () => {
    const lrs = [0.01, 0.01, 0.02];
    const want = adamWant(lrs);
    runSteps('Adam', lrs).forEach((w2, i) => expectClose(w2, want[i], TOL, `step ${i}`));
  });

  it('AdamW: decoupled decay w *= (1 - wd) before the Adam update (tfa.optimizers.AdamW)', () => {
    const lrs = [0.01, 0.01];
    const wd = 0.1;
    const want = adamWant(lrs, wd);
    runSteps('AdamW', lrs, wd).forEach((w2, i) => expectClose(w2, want[i], TOL, `step ${i}`));
  });

  it.each(['SGD', 'Adam', 'AdamW'] as const)('%s: state saved mid-run continues bit for bit in a fresh optimizer', async (name) => {
    const grads = Array.from({ length: 40 }, (_, t) => tf.tensor1d([Math.sin(t), Math.cos(3 * t)]));
    const a = tf.variable(tf.tensor1d([0.3, -0.7]), true, `opt-a-${n++}`);
    const b = tf.variable(tf.tensor1d([0.3, -0.7]), true, `opt-b-${n++}`);
    const optA = createOptimizer(name, { lr: 0.01 });
    let optB = createOptimizer(name, { lr: 0.01 });
    for (let t = 0; t < 40; t++) {
      optA.applyGradients([a], [grads[t]]);
      optB.applyGradients([b], [grads[t]]);
      if (t === 24) {
        const state = await optB.getState();
        optB.dispose();
        optB = createOptimizer(name, { lr: 0.01 });
        await optB.setState(state);
        tf.dispose(state.map((s) => s.tensor));
      }
    }
    expectClose(b.dataSync(), a.dataSync(), { atol: 0, rtol: 0 }, 'weights');
    optA.dispose();
    optB.dispose();
    tf.dispose([a, b, ...grads]);
  });
});
