import * as tf from '@tensorflow/tfjs';
import { checkDims, embeddingOf, headVariable, heNormal, resolveParams, type Head, type HeadDims } from './head';
import { l2Normalize, softmaxCrossEntropy } from './math';

/** FFEM train/custom_models/softmax_center_model.py defaults. */
export const SOFTMAX_CENTER_DEFAULTS = { scale: 30, centerLossWeight: 1e-3 };

/**
 * L2-softmax + center loss, as FFEM (l2_softmax_layer.py, center_margin_layer.py,
 * softmax_center_model.py):
 *   logits = s · l2n(e) · l2n(W, axis 0) + b            W [D, C] He-normal, b [C] = 0.1
 *   ce     = mean softmax cross-entropy
 *   center = mean_n s · ||l2n(e_n) − l2n(c_{y_n})||²      c [C, D] He-normal
 *   loss   = ce + centerLossWeight · center
 */
class SoftmaxCenterHead implements Head {
  readonly name = 'SoftmaxCenter';
  readonly variables: tf.Variable[];
  private readonly weights: tf.Variable;
  private readonly biases: tf.Variable;
  private readonly centers: tf.Variable;

  constructor(private readonly p: typeof SOFTMAX_CENTER_DEFAULTS, private readonly dims: HeadDims) {
    checkDims(this.name, dims);
    const seed = dims.seed;
    this.weights = headVariable(this.name, 'weights', heNormal([dims.embeddingDim, dims.numClasses], seed));
    this.biases = headVariable(this.name, 'biases', tf.fill([dims.numClasses], 0.1));
    this.centers = headVariable(this.name, 'centers', heNormal([dims.numClasses, dims.embeddingDim], seed === undefined ? undefined : seed + 1));
    this.variables = [this.weights, this.biases, this.centers];
  }

  compute(outputs: tf.Tensor[], labels: tf.Tensor1D): { loss: tf.Scalar; logits: tf.Tensor2D; terms: Record<string, tf.Scalar> } {
    const e = embeddingOf(this.name, outputs, this.dims.embeddingDim);
    return tf.tidy(() => {
      const x = l2Normalize(e, 1);
      const logits = tf.add(tf.matMul(tf.mul(x, this.p.scale), l2Normalize(this.weights, 0)), this.biases) as tf.Tensor2D;
      const ce = softmaxCrossEntropy(logits, labels);
      const c = tf.gather(l2Normalize(this.centers, 1), labels);
      const center = tf.mul(tf.mean(tf.sum(tf.square(tf.sub(x, c)), 1)), this.p.scale) as tf.Scalar;
      const loss = tf.add(ce, tf.mul(center, this.p.centerLossWeight)) as tf.Scalar;
      return { loss, logits, terms: { ce, center } };
    });
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, ...this.p, numClasses: this.dims.numClasses, embeddingDim: this.dims.embeddingDim };
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

export function createSoftmaxCenter(params: Record<string, unknown>, dims: HeadDims): Head {
  return new SoftmaxCenterHead(resolveParams('SoftmaxCenter', params, SOFTMAX_CENTER_DEFAULTS), dims);
}
