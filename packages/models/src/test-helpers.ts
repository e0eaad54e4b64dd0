/** Helpers shared by this package's specs (not part of the public API). */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { expectClose, loadFixture, type Fixture, type Tolerance } from '@ffem/testing';
import type { Head } from './heads/head';
import { createHead } from './heads/registry';

export interface TensorJson {
  shape: number[];
  values: number[];
}

export function fixture<T>(name: string): Fixture<T> {
  return loadFixture<T>(path.resolve(__dirname, '..', 'fixtures', name));
}

export function tensor(t: TensorJson): tf.Tensor {
  return tf.tensor(t.values, t.shape, 'float32');
}

/**
 * Checks the gradients of `loss` with respect to the trainable weights of each layer named in
 * `expected` (layer name -> one tensor per weight, in the layer's order) against the fixture.
 */
export function checkWeightGrads(
  model: tf.LayersModel,
  loss: () => tf.Scalar,
  expected: Record<string, TensorJson[]>,
  tol: Tolerance,
  what: string,
): void {
  for (const [layer, want] of Object.entries(expected)) {
    const vars = model.getLayer(layer).trainableWeights.map((w) => w.read() as tf.Variable);
    expect(vars.length).toBe(want.length);
    const { value, grads } = tf.variableGrads(loss, vars);
    vars.forEach((v, i) => expectClose(grads[v.name].dataSync(), want[i].values, tol, `${what}: d/d ${layer}[${i}]`));
    tf.dispose([value, Object.values(grads)]);
  }
}

export interface HeadCase {
  name: string;
  head: string;
  params: Record<string, number>;
  numClasses: number;
  embeddingDim: number;
  labels: number[];
  outputs: TensorJson[];
  variables: Record<string, TensorJson>;
  expected: { logits: number[]; loss: number; terms: Record<string, number>; groupLabels?: number[] };
}

export function headCases(head: string): { cases: HeadCase[]; tolerance: Tolerance } {
  const f = fixture<{ cases: HeadCase[] }>('heads.json');
  const cases = f.data.cases.filter((c) => c.head === head);
  if (!cases.length) throw new Error(`heads.json: no case for ${head}`);
  return { cases, tolerance: f.tolerance };
}

/** Creates the head of a fixture case with the fixture's variable values assigned. */
export function headFromCase(c: HeadCase): Head {
  const head = createHead(c.head, c.params, { numClasses: c.numClasses, embeddingDim: c.embeddingDim });
  for (const v of head.variables) {
    const key = v.name.split('/').pop()!;
    const src = c.variables[key];
    if (!src) throw new Error(`heads.json: ${c.name}: no values for variable ${v.name}`);
    v.assign(tensor(src));
  }
  return head;
}

/** Checks a head's logits, loss and terms against a fixture case. */
export function checkHeadCase(c: HeadCase, tol: Tolerance): void {
  const head = headFromCase(c);
  try {
    const outputs = c.outputs.map(tensor);
    const labels = tf.tensor1d(c.labels, 'int32');
    const r = head.compute(outputs, labels);
    expectClose(r.logits.dataSync(), c.expected.logits, tol, `${c.name}: logits`);
    expectClose(r.loss.dataSync(), [c.expected.loss], tol, `${c.name}: loss`);
    expect(Object.keys(r.terms).sort()).toEqual(Object.keys(c.expected.terms).sort());
    for (const [k, v] of Object.entries(c.expected.terms)) expectClose(r.terms[k].dataSync(), [v], tol, `${c.name}: terms.${k}`);
    tf.dispose([outputs, labels, r.loss, r.logits, Object.values(r.terms)]);
  } finally {
    head.dispose();
  }
}

/** Central finite differences (f(x + eps·e_i) − f(x − eps·e_i)) / 2eps in float32, on every entry of x. */
function numericGrad(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, eps: number): Float32Array {
  const base = x.dataSync();
  const numeric = new Float32Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const plus = Float32Array.from(base);
    const minus = Float32Array.from(base);
    plus[i] += eps;
    minus[i] -= eps;
    const fp = tf.tidy(() => f(tf.tensor(plus, x.shape)).dataSync()[0]);
    const fm = tf.tidy(() => f(tf.tensor(minus, x.shape)).dataSync()[0]);
    numeric[i] = (fp - fm) / (2 * eps);
  }
  return numeric;
}

/**
 * Compares the analytic gradient of f at x (tf.grad) with central finite differences
 * (f(x + eps·e_i) − f(x − eps·e_i)) / 2eps in float32, on every entry of x.
 */
export function gradCheck(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, tol: Tolerance, eps = 1e-2, what = 'gradient'): void {
  const analytic = tf.grad(f)(x).dataSync();
  const numeric = numericGrad(f, x, eps);
  expect(Array.from(analytic).every(Number.isFinite)).toBe(true);
  expectClose(analytic, numeric, tol, what);
}

/**
 * Gradient checks of a head's loss with respect to its input embedding and to each of its
 * variables (via a function that assigns the perturbed value first).
 */
export function headGradCheck(head: Head, outputs: tf.Tensor[], labels: tf.Tensor1D, tol: Tolerance, eps = 1e-2): void {
  gradCheck((e) => head.compute([e, ...outputs.slice(1)], labels).loss, outputs[0], tol, eps, `${head.name}: d loss / d embedding`);
  for (const v of head.variables) {
    const saved = v.clone();
    const f = (value: tf.Tensor): tf.Scalar => {
      // Differentiate through the variable's read by substituting a tensor for it.
      v.assign(value);
      return head.compute(outputs, labels).loss;
    };
    const analytic = tf.tidy(() => {
      v.assign(saved);
      const { grads } = tf.variableGrads(() => head.compute(outputs, labels).loss, [v]);
      return grads[v.name].clone();
    });
    const numeric = numericGrad(f, saved, eps);
    v.assign(saved);
    const a = analytic.dataSync();
    expect(Array.from(a).every(Number.isFinite)).toBe(true);
    expectClose(a, numeric, tol, `${head.name}: d loss / d ${v.name}`);
    tf.dispose([saved, analytic]);
  }
}

/** Small random inputs for gradient checks (seeded). */
export function randomInputs(n: number, d: number, seed: number): tf.Tensor2D {
  return tf.randomUniform([n, d], -1, 1, 'float32', seed) as tf.Tensor2D;
}

/** Runs fn with a fresh head and always disposes it (its variable names are global in tfjs). */
export function withHead<R>(name: string, params: Record<string, unknown>, dims: { numClasses: number; embeddingDim: number; seed?: number }, fn: (h: Head) => R): R {
  const head = createHead(name, params, dims);
  try {
    return fn(head);
  } finally {
    head.dispose();
  }
}

/** Gives every weight of a model a non-trivial seeded value (BN moving variances positive). */
export function randomiseWeights(model: tf.LayersModel, seed: number): void {
  model.setWeights(
    model.weights.map((w, i) => {
      const r = tf.randomUniform(w.shape as number[], -0.5, 0.5, 'float32', seed + i);
      return w.originalName.endsWith('moving_variance') ? tf.add(tf.abs(r), 0.5) : r;
    }),
  );
}
