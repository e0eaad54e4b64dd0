import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { GroupWeightedSum, GROUP_WEIGHTED_SUM } from './group-weighted-sum';
import { fixture, gradCheck, tensor, type TensorJson } from '../test-helpers';

interface MixFixture {
  groupMix: { probs: TensorJson; groups: TensorJson[]; expected: number[] };
}

describe('GroupWeightedSum', () => {
  const { data, tolerance } = fixture<MixFixture>('embedding-head.json');
  const d = data.groupMix;

  it('matches the hand-derived fixture: sum_k p_k g_k', () => {
    const y = new GroupWeightedSum().apply([tensor(d.probs), ...d.groups.map(tensor)]) as tf.Tensor;
    expectClose(y.dataSync(), d.expected, tolerance);
  });

  it('has gradients (probabilities and group embeddings) that match central finite differences', () => {
    const layer = new GroupWeightedSum();
    const p = tensor(d.probs);
    const gs = d.groups.map(tensor);
    const cot = tf.randomNormal(gs[0].shape, 0, 1, 'float32', 4);
    const f = (pp: tf.Tensor, g0: tf.Tensor) => tf.sum(tf.mul(layer.apply([pp, g0, ...gs.slice(1)]) as tf.Tensor, cot)) as tf.Scalar;
    gradCheck((v) => f(v, gs[0]), p, { atol: 2e-3, rtol: 3e-2 });
    gradCheck((v) => f(p, v), gs[0], { atol: 2e-3, rtol: 3e-2 });
  });

  it('checks that there is one group embedding per group, and is registered', () => {
    const p = tf.input({ shape: [3] });
    const g = tf.input({ shape: [4] });
    expect(() => new GroupWeightedSum().apply([p, g, g])).toThrow(/3 groups but 2/);
    expect(tf.serialization.SerializationMap.getMap().classNameMap[GROUP_WEIGHTED_SUM]?.[0]).toBe(GroupWeightedSum);
  });
});
