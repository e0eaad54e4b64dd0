import { SCALELESS_BATCH_NORM } from '@ffem/models';
import { registerConverter } from '../registry';
import { batchNorm } from './batch-norm';

/**
 * @ffem/models' ScalelessBatchNorm (GNAP's BatchNorm(scale=False)): the config (axis, epsilon,
 * center, scale: false) and weights (beta, moving_mean, moving_variance) of a tfjs
 * BatchNormalization without gamma, so the same converter applies.
 */
registerConverter(SCALELESS_BATCH_NORM, (a) => {
  if (a.config.scale !== false) throw new Error(`layer '${a.layer.name}' (${SCALELESS_BATCH_NORM}): expected config scale: false`);
  return batchNorm(a);
});
