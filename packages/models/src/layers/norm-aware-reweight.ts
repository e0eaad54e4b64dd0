import * as tf from '@tensorflow/tfjs';

/** className of the GNAP re-weighting layer (for the ONNX exporter). */
export const NORM_AWARE_REWEIGHT = 'NormAwareReweight';

export interface NormAwareReweightArgs {
  /** 'image': mean norm per image (default); 'batch': over the whole batch (the original FFEM). */
  mean?: 'image' | 'batch';
  /** Floor under the squared norm; default 1e-12 (as tf.math.l2_normalize). */
  epsilon?: number;
  name?: string;
}

/**
 * The middle of Global Norm-Aware Pooling (arXiv 1808.00435; FFEM
 * train/layers/norm_aware_pooling_layer.py): on x [N, H, W, C],
 *   n[b,h,w] = sqrt(max(sum_c x[b,h,w,c]^2, eps))
 *   m[b]     = mean_{h,w} n[b,h,w]            ('image')   or   mean_{b,h,w} n   ('batch')
 *   y        = x / n * m
 * i.e. every position's feature is L2-normalised and scaled by the mean norm.
 * The original takes the mean over the batch; 'image' keeps each embedding independent of the
 * other images in its batch (same value when the batch holds one image).
 */
export class NormAwareReweight extends tf.layers.Layer {
  static className = NORM_AWARE_REWEIGHT;
  readonly mean: 'image' | 'batch';
  readonly epsilon: number;

  constructor(args: NormAwareReweightArgs = {}) {
    super({ name: args.name });
    this.mean = args.mean ?? 'image';
    this.epsilon = args.epsilon ?? 1e-12;
    if (this.mean !== 'image' && this.mean !== 'batch') {
      throw new Error(`${NORM_AWARE_REWEIGHT}: mean: expected 'image' or 'batch', got ${JSON.stringify(this.mean)}`);
    }
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const norm = tf.sqrt(tf.maximum(tf.sum(tf.square(x), -1, true), this.epsilon));
      const meanNorm = this.mean === 'image' ? tf.mean(norm, [1, 2], true) : tf.mean(norm);
      return tf.mul(tf.div(x, norm), meanNorm);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mean: this.mean, epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(NormAwareReweight);
