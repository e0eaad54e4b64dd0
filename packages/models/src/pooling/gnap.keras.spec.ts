/**
 * GNAP against the Keras reference (tools/python/ffem_ref/gnap.py; fixture by
 * tools/python/gen_fixtures.py gnap): mean norm per image and per batch, inference (moving
 * statistics) and training (batch statistics), forward values and the gradients of
 * sum(output * cotangent) with respect to the input and both BatchNorm betas.
 */
import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { checkWeightGrads, fixture, tensor, type TensorJson } from '../test-helpers';
import { gnap } from './gnap';

interface LayerCase {
  mean: 'image' | 'batch';
  training: boolean;
  output: TensorJson;
  grads: { input: TensorJson; weights: Record<string, TensorJson[]> };
}
interface GnapFixture {
  input: TensorJson;
  cotangent: TensorJson;
  weights: Record<string, TensorJson[]>;
  cases: Record<string, LayerCase>;
}

const { data: d, tolerance: tol } = fixture<GnapFixture>('keras/gnap.json');

function build(mean: 'image' | 'batch'): tf.LayersModel {
  const input = tf.input({ shape: d.input.shape.slice(1) });
  const model = tf.model({ inputs: input, outputs: gnap(input, mean) });
  for (const [layer, values] of Object.entries(d.weights)) model.getLayer(layer).setWeights(values.map(tensor));
  return model;
}

describe.each(Object.entries(d.cases))('GNAP vs Keras reference: %s', (name, c) => {
  const x = tensor(d.input);
  const cot = tensor(d.cotangent);
  afterAll(() => tf.dispose([x, cot]));
  const objective = (model: tf.LayersModel) => (input: tf.Tensor) =>
    tf.sum(tf.mul(model.apply(input, { training: c.training }) as tf.Tensor, cot)) as tf.Scalar;

  it('gives the same output', () => {
    const model = build(c.mean);
    const y = model.apply(x, { training: c.training }) as tf.Tensor;
    expectClose(y.dataSync(), c.output.values, tol, `gnap ${name}: output`);
    y.dispose();
  });

  it('gives the same gradient with respect to its input', () => {
    const g = tf.grad(objective(build(c.mean)))(x);
    expectClose(g.dataSync(), c.grads.input.values, tol, `gnap ${name}: d/d input`);
    g.dispose();
  });

  it('gives the same gradients with respect to the BatchNorm betas', () => {
    const model = build(c.mean);
    checkWeightGrads(model, () => objective(model)(x), c.grads.weights, tol, `gnap ${name}`);
  });
});
