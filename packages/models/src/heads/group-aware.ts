import * as tf from '@tensorflow/tfjs';
import { resolveParams, type Head, type HeadDims } from './head';
import { MarginHead } from './margin-head';
import { arcMarginTarget, probCrossEntropy, softmaxCrossEntropy } from './math';

/**
 * FFEM group_aware_model.py weights the group loss by 0.1 and uses ArcFace (margin 0.5); the scale
 * here is AngularMargin's 60. numGroups / intermediateDim belong to the model (ModelConfig.groupFace);
 * they are accepted here so one parameter block can serve both, and numGroups is checked.
 */
export const GROUP_AWARE_DEFAULTS = { scale: 60, margin: 0.5, groupLossWeight: 0.1, numGroups: 4, intermediateDim: 256 };

/**
 * Self-distributed group labels (GroupFace; FFEM group_aware_layer.py GroupLabelGenerator):
 * argmax_k ((p[n, k] − mean_n p[n, k]) / K + 1 / K).
 */
export function groupLabels(probs: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const k = probs.shape[1];
    const norm = tf.add(tf.div(tf.sub(probs, tf.mean(probs, 0, true)), k), 1 / k);
    return tf.cast(tf.argMax(norm, 1), 'int32') as tf.Tensor1D;
  });
}

/**
 * GroupFace training head: outputs [finalEmbedding [N, D], groupProbs [N, K]].
 *   ce    = ArcFace softmax cross-entropy on the final embedding
 *   group = mean Keras categorical cross-entropy between one_hot(groupLabels(p)) and p
 *   loss  = ce + groupLossWeight · group
 */
class GroupAwareHead implements Head {
  readonly name = 'GroupAware';
  readonly variables: tf.Variable[];
  private readonly arc: MarginHead;

  constructor(
    private readonly p: typeof GROUP_AWARE_DEFAULTS,
    private readonly dims: HeadDims,
    /** Whether numGroups was given (else K is taken from the probabilities). */
    private readonly checkGroups: boolean,
  ) {
    this.arc = new MarginHead(this.name, dims, p.scale, (cos) => arcMarginTarget(cos, p.margin), {});
    this.variables = this.arc.variables;
  }

  compute(outputs: tf.Tensor[], labels: tf.Tensor1D): { loss: tf.Scalar; logits: tf.Tensor2D; terms: Record<string, tf.Scalar> } {
    const probs = outputs[1];
    if (!probs || probs.rank !== 2 || (this.checkGroups && probs.shape[1] !== this.p.numGroups)) {
      throw new Error(
        `head GroupAware: outputs[1]: expected group probabilities [N, ${this.checkGroups ? this.p.numGroups : 'K'}], got ` +
          `${probs ? `[${probs.shape.join(', ')}]` : 'nothing (build the model with head GroupAware)'}`,
      );
    }
    return tf.tidy(() => {
      const logits = this.arc.logits(outputs[0] as tf.Tensor2D, labels);
      const ce = softmaxCrossEntropy(logits, labels);
      const group = probCrossEntropy(probs as tf.Tensor2D, groupLabels(probs as tf.Tensor2D));
      const loss = tf.add(ce, tf.mul(group, this.p.groupLossWeight)) as tf.Scalar;
      return { loss, logits, terms: { ce, group } };
    });
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, ...this.p, numClasses: this.dims.numClasses, embeddingDim: this.dims.embeddingDim };
  }

  dispose(): void {
    this.arc.dispose();
  }
}

export function createGroupAware(params: Record<string, unknown>, dims: HeadDims): Head {
  const p = resolveParams('GroupAware', params, GROUP_AWARE_DEFAULTS);
  if (!Number.isInteger(p.numGroups) || p.numGroups < 1) throw new Error(`head GroupAware: numGroups: expected a positive integer, got ${p.numGroups}`);
  return new GroupAwareHead(p, dims, params !== undefined && 'numGroups' in params);
}
