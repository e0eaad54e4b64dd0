import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { BuildContext } from './build-context';
import { embeddingHead } from './embedding';
import { fixture, gradCheck, tensor, type TensorJson } from './test-helpers';

interface EmbeddingFixture {
  input: TensorJson;
  kernel: TensorJson;
  bias: number[];
  bn: { gamma: number[]; beta: number[]; movingMean: number[]; movingVariance: number[] };
  expected: number[];
}

describe('embedding head: Dense(D, L2) -> BatchNorm', () => {
  const { data: d, tolerance } = fixture<EmbeddingFixture>('embedding-head.json');
  const dim = d.kernel.shape[1];

  function build(wd: number): tf.LayersModel {
    const input = tf.input({ shape: [d.input.shape[1]] });
    const model = tf.model({ inputs: input, outputs: embeddingHead(new BuildContext(1, wd, false), input, dim) });
    model.getLayer('embedding_dense').setWeights([tensor(d.kernel), tf.tensor1d(d.bias)]);
    const bn = d.bn;
    model.getLayer('embedding').setWeights([bn.gamma, bn.beta, bn.movingMean, bn.movingVariance].map((v) => tf.tensor1d(v)));
    return model;
  }

  it('matches the hand-derived fixture (BN in inference mode)', () => {
    const y = build(5e-4).predict(tensor(d.input)) as tf.Tensor;
    expect(y.shape).toEqual([d.input.shape[0], dim]);
    expectClose(y.dataSync(), d.expected, tolerance);
  });

  it('carries the L2 weight decay on its kernel only: wd * sum(kernel^2)', () => {
    const model = build(5e-4);
    const losses = model.calculateLosses();
    expect(losses.length).toBe(1);
    const expected = 5e-4 * d.kernel.values.reduce((a, v) => a + v * v, 0);
    expectClose(losses[0].dataSync(), [expected], { atol: 1e-9, rtol: 1e-5 });
    expect(build(0).calculateLosses().length).toBe(0);
  });

  it('has input gradients that match central finite differences', () => {
    const model = build(0);
    const cot = tf.randomNormal([d.input.shape[0], dim], 0, 1, 'float32', 6);
    gradCheck((v) => tf.sum(tf.mul(model.apply(v) as tf.Tensor, cot)) as tf.Scalar, tensor(d.input), { atol: 2e-3, rtol: 3e-2 });
  });
});
