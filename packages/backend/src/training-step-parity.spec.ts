import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { initBackend } from './select-backend';

/** A small ResNet-style network: every gradient kernel this package replaces is on its path. */
function smallNet(): tf.LayersModel {
  const convBn = (x: tf.SymbolicTensor, filters: number, k: number, s: number): tf.SymbolicTensor => {
    const c = tf.layers.conv2d({ filters, kernelSize: k, strides: s, padding: 'same', useBias: false, kernelInitializer: tf.initializers.heNormal({ seed: filters * 10 + k }) }).apply(x);
    return tf.layers.reLU().apply(tf.layers.batchNormalization({ axis: -1 }).apply(c)) as tf.SymbolicTensor;
  };
  const input = tf.input({ shape: [16, 16, 3] });
  const stem = convBn(input, 8, 5, 2);
  const body = convBn(convBn(convBn(stem, 4, 1, 1), 4, 3, 2), 16, 1, 1);
  const short = convBn(stem, 16, 1, 2);
  const sum = tf.layers.add().apply([body, short]) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(sum);
  const logits = tf.layers.dense({ units: 5, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits });
}

/** All variable gradients of one softmax cross-entropy step on the active backend. */
async function stepGradients(model: tf.LayersModel): Promise<Record<string, Float32Array>> {
  const x = tf.randomUniform([3, 16, 16, 3], 0, 1, 'float32', 11);
  const y = tf.oneHot(tf.tensor1d([0, 3, 4], 'int32'), 5);
  const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar);
  const out: Record<string, Float32Array> = { loss: (await value.data()) as Float32Array };
  for (const [name, g] of Object.entries(grads)) out[name] = (await g.data()) as Float32Array;
  tf.dispose([x, y, value, ...Object.values(grads)]);
  return out;
}

describe('a training step on wasm with the ffem kernels equals the cpu backend', () => {
  it('loss and every variable gradient', async () => {
    await initBackend('wasm', null);
    const model = smallNet();
    await tf.setBackend('cpu');
    const expected = await stepGradients(model);
    await tf.setBackend('wasm');
    const actual = await stepGradients(model);
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    expect(Object.keys(actual).length).toBeGreaterThan(15);
    // Float32 sums in other orders through 6 layers: 2e-3 relative plus a small floor.
    for (const name of Object.keys(expected)) expectClose(actual[name], expected[name], { atol: 2e-5, rtol: 2e-3 }, name);
  });
});
