/** Replaces tfjs-core gradients with faster ones that give the same results (all backends). */
import * as tf from '@tensorflow/tfjs';
import { installBatchNormTraining } from './batch-norm-training';
import { fusedBatchNormGradConfig } from './fused-batch-norm-grad';
import { reluGradConfig } from './relu-grad';

export const gradientConfigs: tf.GradConfig[] = [fusedBatchNormGradConfig, reluGradConfig];

/**
 * Installs the gradients, and tfjs-layers' BatchNormalization training path with its analytic
 * gradient (batch-norm-training.ts); returns the names of what changed.
 */
export function registerGradients(): string[] {
  for (const config of gradientConfigs) tf.registerGradient(config);
  installBatchNormTraining();
  return [...gradientConfigs.map((c) => c.kernelName), 'BatchNormalization training'];
}
