/**
 * @ffem/models: backbones (registry by name), GNAP, the embedding head, GroupFace, the margin heads
 * (registry by name), the inference model and its save/load.
 *
 * Images in: float32 NHWC [N, H, W, 3] RGB in [0, 1]; the models normalise inside (x·2 − 1).
 */
export { type ModelConfig, type ResolvedModelConfig, resolveModelConfig } from './config';
export { buildModels, type Models } from './build-models';
export { listBackbones } from './backbones/registry';
export { type Head, type HeadDims } from './heads/head';
export { createHead, listHeads } from './heads/registry';
export { groupLabels } from './heads/group-aware';
export { regularizationLoss } from './regularization';
export { saveModel, loadModel } from './io/file-io';
export { NormAwareReweight, NORM_AWARE_REWEIGHT } from './layers/norm-aware-reweight';
export { GroupWeightedSum, GROUP_WEIGHTED_SUM } from './layers/group-weighted-sum';
export { ScalelessBatchNorm, SCALELESS_BATCH_NORM } from './layers/scaleless-batch-norm';

import { GROUP_WEIGHTED_SUM } from './layers/group-weighted-sum';
import { NORM_AWARE_REWEIGHT } from './layers/norm-aware-reweight';
import { SCALELESS_BATCH_NORM } from './layers/scaleless-batch-norm';
/** Every non-standard layer className these models can contain (the ONNX exporter maps these). */
export const CUSTOM_LAYER_CLASSNAMES: readonly string[] = [NORM_AWARE_REWEIGHT, GROUP_WEIGHTED_SUM, SCALELESS_BATCH_NORM];
