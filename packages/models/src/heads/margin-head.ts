import * as tf from '@tensorflow/tfjs';
import { checkDims, embeddingOf, headVariable, heNormal, type Head, type HeadDims } from './head';
import { applyToTarget, cosine, softmaxCrossEntropy } from './math';

/**
 * The shape every margin-softmax head shares (insightface arcface_torch: the margin is a value
 * handed to the classifier): cos θ between the embedding and `centresPerClass` He-normal class
 * centres [D, C·K] (max over a class's K centres), the target column replaced by `target(cos)`,
 * times `scale`, softmax cross-entropy.
 */
export class MarginHead implements Head {
  readonly variables: tf.Variable[];
  private readonly centres: tf.Variable;

  constructor(
    readonly name: string,
    private readonly dims: HeadDims,
    private readonly scale: number,
    private readonly target: (cos: tf.Tensor2D) => tf.Tensor2D,
    private readonly config: Record<string, unknown>,
    private readonly centresPerClass = 1,
  ) {
    checkDims(name, dims);
    if (!Number.isInteger(centresPerClass) || centresPerClass < 1) {
      throw new Error(`head ${name}: subCenters: expected a positive integer, got ${centresPerClass}`);
    }
    this.centres = headVariable(name, 'centers', heNormal([dims.embeddingDim, dims.numClasses * centresPerClass], dims.seed));
    this.variables = [this.centres];
  }

  /** cos θ [N, C]: for sub-centres, the max over each class's K columns (c·K + k). */
  cosine(embedding: tf.Tensor2D): tf.Tensor2D {
    const cos = cosine(embedding, this.centres as tf.Tensor as tf.Tensor2D);
    if (this.centresPerClass === 1) return cos;
    return tf.max(tf.reshape(cos, [-1, this.dims.numClasses, this.centresPerClass]), 2) as tf.Tensor2D;
  }

  /** The scaled margin logits for an embedding [N, D] and its labels. */
  logits(embedding: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor2D {
    const cos = this.cosine(embedding);
    return applyToTarget(cos, labels, this.target(cos), this.scale);
  }

  compute(outputs: tf.Tensor[], labels: tf.Tensor1D): { loss: tf.Scalar; logits: tf.Tensor2D; terms: Record<string, tf.Scalar> } {
    const embedding = embeddingOf(this.name, outputs, this.dims.embeddingDim);
    return tf.tidy(() => {
      const logits = this.logits(embedding, labels);
      const ce = softmaxCrossEntropy(logits, labels);
      return { loss: ce.clone(), logits, terms: { ce } };
    });
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, ...this.config, numClasses: this.dims.numClasses, embeddingDim: this.dims.embeddingDim };
  }

  dispose(): void {
    this.centres.dispose();
  }
}
