import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { gnap } from './gnap';
import { fixture, gradCheck, type TensorJson } from '../test-helpers';

interface GnapFixture {
  input: TensorJson;
  bnIn: { beta: number[]; movingMean: number[]; movingVariance: number[] };
  bnOut: { beta: number[]; movingMean: number[]; movingVariance: number[] };
  expected: { image: number[]; batch: number[] };
}

const { data: d, tolerance } = fixture<GnapFixture>('gnap.json');

/** [h, w, C] -> GNAP -> [C], with the fixture's BatchNorm values (no gamma: scale=False). */
function buildGnap(mean: 'image' | 'batch'): tf.LayersModel {
  const input = tf.input({ shape: d.input.shape.slice(1) });
  const model = tf.model({ inputs: input, outputs: gnap(input, mean) });
  for (const [layer, bn] of [['gnap_bn_in', d.bnIn], ['gnap_bn_out', d.bnOut]] as const) {
    model.getLayer(layer).setWeights([tf.tensor1d(bn.beta), tf.tensor1d(bn.movingMean), tf.tensor1d(bn.movingVariance)]);
  }
  return model;
}

describe('GNAP (Global Norm-Aware Pooling)', () => {
  const x = tf.tensor(d.input.values, d.input.shape);

  it.each(['image', 'batch'] as const)('matches the hand-derived fixture (mean over %s, BN in inference mode)', (mean) => {
    const y = buildGnap(mean).predict(x) as tf.Tensor;
    expect(y.shape).toEqual([d.input.shape[0], d.input.shape[3]]);
    expectClose(y.dataSync(), d.expected[mean], tolerance, `gnap ${mean}`);
  });

  it('has BatchNorms without scale (Keras BatchNormalization(scale=False))', () => {
    const m = buildGnap('image');
    expect(m.getLayer('gnap_bn_in').getWeights().length).toBe(3);
    expect(m.getLayer('gnap_bn_out').getWeights().length).toBe(3);
  });

  it('has input gradients that match central finite differences (inference mode)', () => {
    const model = buildGnap('image');
    const cot = tf.randomNormal([d.input.shape[0], d.input.shape[3]], 0, 1, 'float32', 5);
    gradCheck((v) => tf.sum(tf.mul(model.apply(v) as tf.Tensor, cot)) as tf.Scalar, x, { atol: 2e-3, rtol: 3e-2 }, 1e-2, 'gnap d/dx');
  });
});
