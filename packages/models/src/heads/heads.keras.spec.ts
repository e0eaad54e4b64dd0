/**
 * The margin heads against the TensorFlow references (tools/python/ffem_ref/, fixtures written by
 * tools/python/gen_fixtures.py): same inputs and variable values -> same logits, loss, terms and
 * gradients with respect to the head's inputs and its variables.
 */
import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { fixture, tensor, type TensorJson } from '../test-helpers';
import { groupLabels } from './group-aware';
import { createHead } from './registry';

interface HeadFixture {
  head: string;
  params: Record<string, number>;
  dims: { numClasses: number; embeddingDim: number };
  inputs: { embeddings: TensorJson; probs?: TensorJson; labels: number[] };
  variables: Array<TensorJson & { name: string }>;
  outputs: { loss: number; logits: TensorJson; terms: Record<string, number> };
  grads: { inputs: Record<string, TensorJson>; variables: Record<string, TensorJson> };
  groupLabels?: number[];
}

describe.each(['arc-face', 'softmax-center', 'group-aware'])('head vs Keras reference: %s', (name) => {
  const { data: d, tolerance: tol } = fixture<HeadFixture>(`keras/${name}.json`);
  const what = `keras/${name}.json`;
  const head = createHead(d.head, d.params, d.dims);
  const inputNames: Array<'embeddings' | 'probs'> = d.inputs.probs ? ['embeddings', 'probs'] : ['embeddings'];
  const outputs = inputNames.map((k) => tensor(d.inputs[k]!));
  const labels = tf.tensor1d(d.inputs.labels, 'int32');

  beforeAll(() => {
    expect(head.variables.map((v) => v.name.split('/').pop()).sort()).toEqual(d.variables.map((v) => v.name).sort());
    for (const v of head.variables) {
      const src = d.variables.find((s) => s.name === v.name.split('/').pop())!;
      expect(v.shape).toEqual(src.shape);
      v.assign(tensor(src));
    }
  });
  afterAll(() => {
    head.dispose();
    tf.dispose([outputs, labels]);
  });

  it('gives the same logits, loss and terms', () => {
    const r = head.compute(outputs, labels);
    expectClose(r.logits.dataSync(), d.outputs.logits.values, tol, `${what}: logits`);
    expectClose(r.loss.dataSync(), d.outputs.loss, tol, `${what}: loss`);
    expect(Object.keys(r.terms).sort()).toEqual(Object.keys(d.outputs.terms).sort());
    for (const [k, v] of Object.entries(d.outputs.terms)) expectClose(r.terms[k].dataSync(), v, tol, `${what}: terms.${k}`);
    tf.dispose([r.loss, r.logits, Object.values(r.terms)]);
  });

  it('gives the same gradients with respect to its inputs', () => {
    const grads = tf.grads((...xs: tf.Tensor[]) => head.compute(xs, labels).loss)(outputs);
    inputNames.forEach((k, i) => expectClose(grads[i].dataSync(), d.grads.inputs[k].values, tol, `${what}: d loss / d ${k}`));
    tf.dispose(grads);
  });

  it('gives the same gradients with respect to its variables', () => {
    const { value, grads } = tf.variableGrads(() => head.compute(outputs, labels).loss, head.variables);
    for (const v of head.variables) {
      const key = v.name.split('/').pop()!;
      expectClose(grads[v.name].dataSync(), d.grads.variables[key].values, tol, `${what}: d loss / d ${key}`);
    }
    tf.dispose([value, Object.values(grads)]);
  });

  if (d.groupLabels) {
    it('derives the same self-distributed group labels', () => {
      const g = groupLabels(outputs[1] as tf.Tensor2D);
      expect(Array.from(g.dataSync())).toEqual(d.groupLabels);
      g.dispose();
    });
  }
});
