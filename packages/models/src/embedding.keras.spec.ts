/**
 * The inference path GNAP -> embedding Dense -> BatchNorm against the Keras reference
 * (tools/python/ffem_ref/embedding.py; fixture by tools/python/gen_fixtures.py embedding-head):
 * forward values in inference and training mode and the gradients of sum(output * cotangent)
 * with respect to the input and every trainable weight.
 */
import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { BuildContext } from './build-context';
import { embeddingHead } from './embedding';
import { gnap } from './pooling/gnap';
import { checkWeightGrads, fixture, tensor, type TensorJson } from './test-helpers';

interface LayerCase {
  output: TensorJson;
  grads: { input: TensorJson; weights: Record<string, TensorJson[]> };
}
interface EmbeddingFixture {
  input: TensorJson;
  cotangent: TensorJson;
  embeddingDim: number;
  gnapMean: 'image' | 'batch';
  weights: Record<string, TensorJson[]>;
  cases: Record<'infer' | 'train', LayerCase>;
}

const { data: d, tolerance: tol } = fixture<EmbeddingFixture>('keras/embedding-head.json');

function build(): tf.LayersModel {
  const input = tf.input({ shape: d.input.shape.slice(1) });
  const out = embeddingHead(new BuildContext(7, 0, false), gnap(input, d.gnapMean), d.embeddingDim);
  const model = tf.model({ inputs: input, outputs: out });
  for (const [layer, values] of Object.entries(d.weights)) model.getLayer(layer).setWeights(values.map(tensor));
  return model;
}

describe.each(['infer', 'train'] as const)('embedding head vs Keras reference: %s', (mode) => {
  const c = d.cases[mode];
  const training = mode === 'train';
  const x = tensor(d.input);
  const cot = tensor(d.cotangent);
  afterAll(() => tf.dispose([x, cot]));
  const objective = (model: tf.LayersModel) => (input: tf.Tensor) =>
    tf.sum(tf.mul(model.apply(input, { training }) as tf.Tensor, cot)) as tf.Scalar;

  it('gives the same embeddings', () => {
    const y = build().apply(x, { training }) as tf.Tensor;
    expectClose(y.dataSync(), c.output.values, tol, `embedding ${mode}: output`);
    y.dispose();
  });

  it('gives the same gradient with respect to its input', () => {
    const g = tf.grad(objective(build()))(x);
    expectClose(g.dataSync(), c.grads.input.values, tol, `embedding ${mode}: d/d input`);
    g.dispose();
  });

  it('gives the same gradients with respect to every trainable weight', () => {
    const model = build();
    expect(Object.keys(c.grads.weights).sort()).toEqual(
      model.layers.filter((l) => l.trainableWeights.length > 0).map((l) => l.name).sort(),
    );
    checkWeightGrads(model, () => objective(model)(x), c.grads.weights, tol, `embedding ${mode}`);
  });
});
