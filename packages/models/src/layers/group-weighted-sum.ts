import * as tf from '@tensorflow/tfjs';

/** className of the GroupFace mixing layer (for the ONNX exporter). */
export const GROUP_WEIGHTED_SUM = 'GroupWeightedSum';

export interface GroupWeightedSumArgs {
  name?: string;
}

/**
 * GroupFace's group-aware term (FFEM train/layers/group_aware_layer.py GroupAwareLayer.call):
 * inputs [p, g_0, ..., g_{K-1}] with p [N, K] (group probabilities) and g_k [N, D];
 *   y[b, :] = sum_k p[b, k] * g_k[b, :]
 */
export class GroupWeightedSum extends tf.layers.Layer {
  static className = GROUP_WEIGHTED_SUM;

  constructor(args: GroupWeightedSumArgs = {}) {
    super({ name: args.name });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shapes = inputShape as tf.Shape[];
    if (!Array.isArray(shapes[0]) || shapes.length < 2) {
      throw new Error(`${GROUP_WEIGHTED_SUM}: expected inputs [probs, g_0, ..., g_{K-1}]`);
    }
    const k = shapes[0][1];
    if (k !== null && k !== shapes.length - 1) {
      throw new Error(`${GROUP_WEIGHTED_SUM}: probs have ${k} groups but ${shapes.length - 1} group embeddings were given`);
    }
    return shapes[1];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [p, ...groups] = inputs as tf.Tensor[];
      const cols = tf.split(p, groups.length, 1);
      return tf.addN(groups.map((g, k) => tf.mul(cols[k], g)));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig() };
  }
}
tf.serialization.registerClass(GroupWeightedSum);
