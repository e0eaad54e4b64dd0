/**
 * The GroupFace layers against the Keras reference (tools/python/ffem_ref/groupface.py; fixture by
 * tools/python/gen_fixtures.py group-face): pooled feature -> [final embedding, group
 * probabilities] in inference and training mode, and the gradients of
 * sum(embedding * cot.embedding) + sum(groupProbs * cot.groupProbs).
 */
import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { BuildContext } from './build-context';
import { groupFace } from './group-face';
import { checkWeightGrads, fixture, tensor, type TensorJson } from './test-helpers';

interface GroupFaceCase {
  embedding: TensorJson;
  groupProbs: TensorJson;
  grads: { input: TensorJson; weights: Record<string, TensorJson[]> };
}
interface GroupFaceFixture {
  input: TensorJson;
  embeddingDim: number;
  numGroups: number;
  intermediateDim: number;
  cotangent: { embedding: TensorJson; groupProbs: TensorJson };
  weights: Record<string, TensorJson[]>;
  cases: Record<'infer' | 'train', GroupFaceCase>;
}

const { data: d, tolerance: tol } = fixture<GroupFaceFixture>('keras/group-face.json');

function build(): tf.LayersModel {
  const input = tf.input({ shape: d.input.shape.slice(1) });
  const g = groupFace(new BuildContext(7, 0, false), input, d.embeddingDim, d.numGroups, d.intermediateDim);
  const model = tf.model({ inputs: input, outputs: [g.embedding, g.groupProbs] });
  for (const [layer, values] of Object.entries(d.weights)) model.getLayer(layer).setWeights(values.map(tensor));
  return model;
}

describe.each(['infer', 'train'] as const)('GroupFace layers vs Keras reference: %s', (mode) => {
  const c = d.cases[mode];
  const training = mode === 'train';
  const x = tensor(d.input);
  const cotE = tensor(d.cotangent.embedding);
  const cotP = tensor(d.cotangent.groupProbs);
  afterAll(() => tf.dispose([x, cotE, cotP]));
  const objective = (model: tf.LayersModel) => (input: tf.Tensor) => {
    const [e, p] = model.apply(input, { training }) as tf.Tensor[];
    return tf.add(tf.sum(tf.mul(e, cotE)), tf.sum(tf.mul(p, cotP))) as tf.Scalar;
  };

  it('gives the same final embedding and group probabilities', () => {
    const [e, p] = build().apply(x, { training }) as tf.Tensor[];
    expectClose(e.dataSync(), c.embedding.values, tol, `groupface ${mode}: embedding`);
    expectClose(p.dataSync(), c.groupProbs.values, tol, `groupface ${mode}: groupProbs`);
    tf.dispose([e, p]);
  });

  it('gives the same gradient with respect to its input', () => {
    const g = tf.grad(objective(build()))(x);
    expectClose(g.dataSync(), c.grads.input.values, tol, `groupface ${mode}: d/d input`);
    g.dispose();
  });

  it('gives the same gradients with respect to every trainable weight', () => {
    const model = build();
    expect(Object.keys(c.grads.weights).sort()).toEqual(
      model.layers.filter((l) => l.trainableWeights.length > 0).map((l) => l.name).sort(),
    );
    checkWeightGrads(model, () => objective(model)(x), c.grads.weights, tol, `groupface ${mode}`);
  });
});
