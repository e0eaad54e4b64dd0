import * as tf from '@tensorflow/tfjs';
import { buildModels } from '@ffem/models';
import { decodeModel } from '../onnx-graph';
import { exportToOnnx, exportWithReport } from '../export-onnx';
import { metadataOf, opTypes, randomizeWeights, randomInput } from '../spec-helpers';
import { verifyOnnx } from '../verify';

describe('--quantize int8 (weight-only)', () => {
  it('shrinks the file about 4x, keeps the outputs close (cosine), and stores int8 + DequantizeLinear', async () => {
    const { embedding } = buildModels({ backbone: 'tiny', inputShape: [32, 32, 3], embeddingDim: 32, seed: 3 });
    randomizeWeights(embedding, 5, 0.1);
    const fp32 = exportToOnnx(embedding);
    const report = exportWithReport(embedding, { quantize: 'int8' });
    const int8 = report.bytes;
    // Conv/Dense weights dominate the tiny model; BN/PReLU parameters stay float.
    expect(int8.length).toBeLessThan(fp32.length * 0.4);
    expect(report.quantized?.tensors).toBeGreaterThan(3);
    expect(report.quantized!.bytesAfter).toBeLessThan(report.quantized!.bytesBefore * 0.27);
    expect(opTypes(int8)).toContain('DequantizeLinear');
    expect(decodeModel(int8).graph?.initializer?.some((t) => t.dataType === 3 /* INT8 */)).toBe(true);
    expect(metadataOf(int8).quantize).toBe('int8');

    const x = randomInput([4, 32, 32, 3]);
    const v = await verifyOnnx(embedding, int8, x);
    // Per-channel int8 weights: close to fp32, measurably not identical.
    expect(v.minCosine).toBeGreaterThan(0.99);
    expect(v.maxAbsDiff).toBeGreaterThan(0);
    const exact = await verifyOnnx(embedding, fp32, x);
    expect(exact.minCosine).toBeGreaterThan(v.minCosine);
    tf.dispose(x);
  });
});
