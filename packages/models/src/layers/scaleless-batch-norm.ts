import * as tf from '@tensorflow/tfjs';

/** className of the scale-free BatchNorm (for the ONNX exporter: BatchNormalization with gamma = 1). */
export const SCALELESS_BATCH_NORM = 'ScalelessBatchNormalization';

export interface ScalelessBatchNormArgs {
  name?: string;
  /** Keras default 0.99. */
  momentum?: number;
  /** Keras default 1e-3. */
  epsilon?: number;
}

type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;

/**
 * Keras `BatchNormalization(scale=False)` over the last axis: weights [beta, moving_mean,
 * moving_variance] (the order and names of tfjs' BatchNormalization with scale=false), and
 *   inference: y = (x − moving_mean) / sqrt(moving_variance + eps) + beta
 *   training:  y = (x − m) / sqrt(v + eps) + beta   with the batch moments m, v (biased), and
 *              moving_x ← moving_x − (moving_x − x_batch)·(1 − momentum)
 * tfjs' own BatchNormalization cannot do this: with scale=false its training path reads the
 * missing gamma and its gradient fails on the null scale input (tfjs-layers 4.22).
 */
export class ScalelessBatchNorm extends tf.layers.Layer {
  static className = SCALELESS_BATCH_NORM;
  readonly momentum: number;
  readonly epsilon: number;
  private beta!: LayerVariable;
  private movingMean!: LayerVariable;
  private movingVariance!: LayerVariable;

  constructor(args: ScalelessBatchNormArgs = {}) {
    super({ name: args.name });
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    this.supportsMasking = true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (channels == null) throw new Error(`${SCALELESS_BATCH_NORM} ${this.name}: the last axis must be known`);
    this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros(), undefined, true);
    this.movingMean = this.addWeight('moving_mean', [channels], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [channels], 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const beta = this.beta.read();
      if (!kwargs?.training) {
        return tf.add(tf.mul(tf.sub(x, this.movingMean.read()), tf.rsqrt(tf.add(this.movingVariance.read(), this.epsilon))), beta);
      }
      const axes = x.shape.map((_, i) => i).slice(0, -1);
      const { mean, variance } = tf.moments(x, axes);
      const decay = 1 - this.momentum;
      for (const [v, batch] of [[this.movingMean, mean], [this.movingVariance, variance]] as const) {
        const old = v.read();
        v.write(tf.sub(old, tf.mul(tf.sub(old, batch), decay)));
      }
      return tf.add(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon))), beta);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), axis: -1, momentum: this.momentum, epsilon: this.epsilon, center: true, scale: false };
  }
}
tf.serialization.registerClass(ScalelessBatchNorm);
