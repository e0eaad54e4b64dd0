import * as tf from '@tensorflow/tfjs';
import type { BuildContext } from './build-context';
import { GroupWeightedSum } from './layers/group-weighted-sum';

type T = tf.SymbolicTensor;

/** Dense -> BatchNorm -> PReLU: the original's FC block (group_aware_layer.py class FC). */
function fcBlock(ctx: BuildContext, x: T, units: number, name: string): T {
  let y = tf.layers
    .dense({ name: `${name}_dense`, units, kernelInitializer: ctx.glorotUniform(), kernelRegularizer: ctx.embeddingRegularizer() })
    .apply(x) as T;
  y = tf.layers.batchNormalization({ name: `${name}_bn` }).apply(y) as T;
  return tf.layers.prelu({ name: `${name}_prelu` }).apply(y) as T;
}

/**
 * GroupFace (Kim et al., CVPR 2020; FFEM train/layers/group_aware_layer.py GroupAwareLayer) on the
 * pooled feature s [N, C]:
 *   instance = FC(D)(s)                                   (Dense, BN, PReLU)
 *   p        = softmax(FC(K)(FC(intermediate)(instance)))  (group decision network)
 *   final    = instance + sum_k p[:, k] * Dense_k(D)(s)
 * Returns the final embedding [N, D] (layer 'embedding') and p [N, K] (layer 'group_probs').
 */
export function groupFace(
  ctx: BuildContext,
  shared: T,
  dim: number,
  numGroups: number,
  intermediateDim: number,
): { embedding: T; groupProbs: T } {
  const instance = fcBlock(ctx, shared, dim, 'gf_instance');
  const interm = fcBlock(ctx, instance, intermediateDim, 'gf_decision1');
  const groupLogits = fcBlock(ctx, interm, numGroups, 'gf_decision2');
  const groupProbs = tf.layers.activation({ name: 'group_probs', activation: 'softmax' }).apply(groupLogits) as T;
  const groups: T[] = [];
  for (let k = 0; k < numGroups; k++) {
    groups.push(
      tf.layers
        .dense({ name: `gf_group${k}_dense`, units: dim, kernelInitializer: ctx.glorotUniform(), kernelRegularizer: ctx.embeddingRegularizer() })
        .apply(shared) as T,
    );
  }
  const mix = new GroupWeightedSum({ name: 'gf_group_mix' }).apply([groupProbs, ...groups]) as T;
  const embedding = tf.layers.add({ name: 'embedding' }).apply([instance, mix]) as T;
  return { embedding, groupProbs };
}
