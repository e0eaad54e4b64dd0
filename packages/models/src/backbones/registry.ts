import type * as tf from '@tensorflow/tfjs';
import type { BuildContext } from '../build-context';
import { resnet50v2 } from './resnet50v2';
import { resnet18, resnet34, tiny } from './resnet-basic';

/** Builds a trunk on the normalised input and returns its last feature map [N, h, w, C]. */
export type BackboneFn = (ctx: BuildContext, x: tf.SymbolicTensor, options: Record<string, unknown>) => tf.SymbolicTensor;

const backbones = new Map<string, BackboneFn>([
  ['resnet50v2', resnet50v2],
  ['resnet18', resnet18],
  ['resnet34', resnet34],
  ['tiny', tiny],
]);

/** The registered backbone names. */
export function listBackbones(): string[] {
  return [...backbones.keys()];
}

export function getBackbone(name: string): BackboneFn {
  const fn = backbones.get(name);
  if (!fn) throw new Error(`model config: backbone: unknown backbone '${name}' (known: ${listBackbones().join(', ')})`);
  return fn;
}
