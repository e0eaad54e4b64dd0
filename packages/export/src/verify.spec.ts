import * as tf from '@tensorflow/tfjs';
import { exportToOnnx } from './export-onnx';
import { modelOf, randomizeWeights, randomInput } from './spec-helpers';
import { verifyOnnx } from './verify';

type T = tf.SymbolicTensor;

const net = (seed: number): tf.LayersModel =>
  modelOf([6, 6, 3], (x) => tf.layers.dense({ units: 8 }).apply(tf.layers.flatten({}).apply(tf.layers.conv2d({ filters: 4, kernelSize: 3 }).apply(x))) as T, 'net', seed);

describe('verifyOnnx', () => {
  it('passes a faithful export (random inputs by default, NHWC and NCHW files)', async () => {
    const m = net(1);
    const r = await verifyOnnx(m, exportToOnnx(m));
    expect(r).toMatchObject({ ok: true, samples: 4 });
    expect(r.minCosine).toBeGreaterThan(0.99999);
    expect(r.relMaxDiff).toBeLessThan(1e-5);
    expect((await verifyOnnx(m, exportToOnnx(m, { nchw: true }))).ok).toBe(true);
  });

  it('fails an export of different weights, reporting the differences', async () => {
    const m = net(1);
    const other = net(1);
    randomizeWeights(other, 99);
    const r = await verifyOnnx(m, exportToOnnx(other), randomInput([3, 6, 6, 3]));
    expect(r.ok).toBe(false);
    expect(r.samples).toBe(3);
    expect(r.minCosine).toBeLessThan(0.9);
    expect(r.maxAbsDiff).toBeGreaterThan(0.1);
  });
});
