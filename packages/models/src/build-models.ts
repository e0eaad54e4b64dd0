import * as tf from '@tensorflow/tfjs';
import { BuildContext } from './build-context';
import { normaliseInput } from './backbones/blocks';
import { getBackbone } from './backbones/registry';
import { resolveModelConfig, type ModelConfig } from './config';
import { embeddingHead } from './embedding';
import { groupFace } from './group-face';
import { gap, gnap } from './pooling/gnap';

export interface Models {
  /** input 'input' [null, H, W, 3] RGB in [0, 1] -> embedding [null, D]: the inference model. */
  embedding: tf.LayersModel;
  /** Same layers; outputs [embedding, ...aux] (GroupAware: [embedding, groupProbs]); else === embedding. */
  train: tf.LayersModel;
  /** input -> last backbone feature map [null, h, w, C] (normalisation included). */
  backbone: tf.LayersModel;
}

/** Builds backbone + pooling + embedding (GroupFace layers for head 'GroupAware') sharing one set of layers. */
export function buildModels(cfg: ModelConfig): Models {
  const c = resolveModelConfig(cfg);
  const ctx = new BuildContext(c.seed, c.weightDecay, c.weightDecayScope === 'all');
  const input = tf.input({ name: 'input', shape: c.inputShape, dtype: 'float32' });
  const features = getBackbone(c.backbone)(ctx, normaliseInput(input), c.backboneOptions);
  const pooled = c.pooling === 'gnap' ? gnap(features, c.gnapMean) : gap(features);
  const backbone = tf.model({ name: `${c.backbone}_backbone`, inputs: input, outputs: features });
  if (c.head === 'GroupAware') {
    const g = groupFace(ctx, pooled, c.embeddingDim, c.groupFace.numGroups, c.groupFace.intermediateDim);
    return {
      embedding: tf.model({ name: `${c.backbone}_embedding`, inputs: input, outputs: g.embedding }),
      train: tf.model({ name: `${c.backbone}_train`, inputs: input, outputs: [g.embedding, g.groupProbs] }),
      backbone,
    };
  }
  const embedding = tf.model({ name: `${c.backbone}_embedding`, inputs: input, outputs: embeddingHead(ctx, pooled, c.embeddingDim) });
  return { embedding, train: embedding, backbone };
}
