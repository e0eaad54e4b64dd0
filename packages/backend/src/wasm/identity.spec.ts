import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../select-backend';
import { heapTensorCount } from './conv-cases';

describe('Identity (wasm, shared data)', () => {
  beforeAll(async () => {
    await initBackend('wasm', null);
  });

  it('clones without copying, and the data lives until the last tensor sharing it is gone', async () => {
    const before = heapTensorCount();
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId); // shared, not copied
    expect(heapTensorCount()).toBe(before + 1);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(heapTensorCount()).toBe(before + 1);
    y.dispose();
    expect(heapTensorCount()).toBe(before);
  });

  it('keeps int32, bool and string tensors intact', async () => {
    expect(Array.from(await tf.clone(tf.tensor1d([7, -8], 'int32')).data())).toEqual([7, -8]);
    expect(Array.from(await tf.clone(tf.tensor1d([true, false], 'bool')).data())).toEqual([1, 0]);
    expect(await tf.clone(tf.tensor1d(['a', 'bc'])).data()).toEqual(['a', 'bc']);
  });

  it('gives the same training gradients as copying (a fused convolution saves its inputs through it)', async () => {
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 4) as tf.Tensor4D;
    const f = (xx: tf.Tensor4D, ww: tf.Tensor4D) => tf.sum(tf.square(tf.fused.conv2d({ x: xx, filter: ww, strides: 1, pad: 'same', activation: 'relu' })));
    const [gx, gw] = tf.grads(f as (...a: tf.Tensor[]) => tf.Tensor)([x, w]);
    const onWasm = [await gx.data(), await gw.data()];
    await tf.setBackend('cpu');
    const [cx, cw] = tf.grads(f as (...a: tf.Tensor[]) => tf.Tensor)([x, w]);
    const onCpu = [await cx.data(), await cw.data()];
    await tf.setBackend('wasm');
    onWasm.forEach((values, k) => values.forEach((v, i) => expect(Math.abs(v - onCpu[k][i])).toBeLessThan(1e-3 * (1 + Math.abs(onCpu[k][i])))));
  });

  it('casts to the same dtype without copying; to another dtype with a conversion', async () => {
    const x = tf.tensor1d([1.5, -2.5, 3]);
    const same = tf.cast(x, 'float32');
    expect(same.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(await same.data())).toEqual([1.5, -2.5, 3]);
    const other = tf.cast(same, 'int32');
    expect(other.dataId).not.toBe(same.dataId);
    expect(Array.from(await other.data())).toEqual([1, -2, 3]);
    tf.dispose([same, other]);
  });
});
