import * as tf from '@tensorflow/tfjs';
import { exportWithReport } from '../export-onnx';
import { expectParity, metadataOf, modelOf, opTypes as ops, randomInput } from '../spec-helpers';

type T = tf.SymbolicTensor;

describe('--fold-bn', () => {
  it('folds BN after Conv2D (with and without bias) and after Dense; parity holds', async () => {
    const m = modelOf([6, 6, 3], (x) => {
      let y = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(x) as T;
      y = tf.layers.batchNormalization({}).apply(y) as T;
      y = tf.layers.reLU({}).apply(y) as T;
      y = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same' }).apply(y) as T;
      y = tf.layers.batchNormalization({ epsilon: 1e-5 }).apply(y) as T;
      y = tf.layers.flatten({}).apply(y) as T;
      y = tf.layers.dense({ units: 5 }).apply(y) as T;
      return tf.layers.batchNormalization({}).apply(y) as T;
    });
    const x = randomInput([3, 6, 6, 3]);
    const bytes = await expectParity(m, x, { foldBn: true });
    expect(ops(bytes)).not.toContain('BatchNormalization');
    expect(exportWithReport(m, { foldBn: true }).foldedBatchNorms).toBe(3);
    expect(metadataOf(bytes).fold_bn).toBe('true (3 folded)');
  });

  it('keeps a BN that follows an activation or feeds two layers (pre-activation ResNet)', async () => {
    const m = modelOf([5, 5, 3], (x) => {
      let y = tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }).apply(x) as T;
      y = tf.layers.batchNormalization({}).apply(y) as T; // after the conv's relu: not foldable
      const c = tf.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(y) as T;
      const b = tf.layers.batchNormalization({}).apply(c) as T; // conv output also read by the Add
      return tf.layers.add({}).apply([b, c]) as T;
    });
    const bytes = await expectParity(m, randomInput([2, 5, 5, 3]), { foldBn: true });
    expect(ops(bytes).filter((o) => o === 'BatchNormalization')).toHaveLength(2);
  });
});
