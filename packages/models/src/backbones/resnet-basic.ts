import * as tf from '@tensorflow/tfjs';
import type { BuildContext } from '../build-context';
import { bn, conv, pad, relu } from './blocks';

/*
 * ResNet with basic blocks (He et al. 2016, the torchvision resnet18/34 layout): stem conv 7x7/2 +
 * BN + ReLU + max-pool 3x3/2, stages of two-conv basic blocks, stride 2 in the first block of
 * every stage after the first, 1x1 conv + BN projection shortcut where the shape changes.
 * Explicit symmetric padding (as PyTorch) and BN eps 1e-5 / momentum 0.9 (torch's 0.1), so
 * weights transfer from torchvision one to one. Trainable parameters without the fc:
 * resnet18 11,176,512, resnet34 21,284,672.
 *
 * `tiny` is the same family, configurable, for tests and CPU demos: stem conv 3x3 (stride
 * `stemStride`) without max-pool, then `widths.length` stages.
 */

type T = tf.SymbolicTensor;
const BN = { epsilon: 1e-5, momentum: 0.9 };

function basicBlock(ctx: BuildContext, x: T, filters: number, stride: number, name: string): T {
  const inChannels = x.shape[x.shape.length - 1];
  let y = pad(x, `${name}_1_pad`, 1);
  y = conv(ctx, y, `${name}_1_conv`, filters, 3, stride, false);
  y = relu(bn(y, `${name}_1_bn`, BN), `${name}_1_relu`);
  y = pad(y, `${name}_2_pad`, 1);
  y = conv(ctx, y, `${name}_2_conv`, filters, 3, 1, false);
  y = bn(y, `${name}_2_bn`, BN);
  let shortcut = x;
  if (stride !== 1 || inChannels !== filters) {
    shortcut = conv(ctx, x, `${name}_0_conv`, filters, 1, stride, false);
    shortcut = bn(shortcut, `${name}_0_bn`, BN);
  }
  const sum = tf.layers.add({ name: `${name}_add` }).apply([shortcut, y]) as T;
  return relu(sum, `${name}_out`);
}

function stages(ctx: BuildContext, x: T, widths: number[], blocks: number[]): T {
  widths.forEach((w, s) => {
    for (let b = 0; b < blocks[s]; b++) {
      x = basicBlock(ctx, x, w, b === 0 && s > 0 ? 2 : 1, `stage${s + 1}_block${b + 1}`);
    }
  });
  return x;
}

function basicResNet(blocks: number[], label: string) {
  return (ctx: BuildContext, x: T, options: Record<string, unknown>): T => {
    const unknown = Object.keys(options);
    if (unknown.length) throw new Error(`model config: backboneOptions.${unknown[0]}: unknown key for ${label}`);
    x = pad(x, 'stem_pad', 3);
    x = conv(ctx, x, 'stem_conv', 64, 7, 2, false);
    x = relu(bn(x, 'stem_bn', BN), 'stem_relu');
    x = pad(x, 'pool_pad', 1);
    x = tf.layers.maxPooling2d({ name: 'pool', poolSize: 3, strides: 2 }).apply(x) as T;
    return stages(ctx, x, [64, 128, 256, 512], blocks);
  };
}

export const resnet18 = basicResNet([2, 2, 2, 2], 'resnet18');
export const resnet34 = basicResNet([3, 4, 6, 3], 'resnet34');

export interface TinyOptions {
  /** Channels per stage; default [16, 32, 64]. */
  widths: number[];
  /** Basic blocks per stage; default [1, 1, 1]. */
  blocks: number[];
  /** Stride of the 3x3 stem conv; default 2. */
  stemStride: number;
}

function positiveInts(field: string, v: unknown): number[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((n) => Number.isInteger(n) && n > 0)) {
    throw new Error(`model config: backboneOptions.${field}: expected a non-empty array of positive integers`);
  }
  return v as number[];
}

export function tinyOptions(options: Record<string, unknown>): TinyOptions {
  for (const k of Object.keys(options)) {
    if (!['widths', 'blocks', 'stemStride'].includes(k)) throw new Error(`model config: backboneOptions.${k}: unknown key for tiny`);
  }
  const widths = positiveInts('widths', options.widths ?? [16, 32, 64]);
  const blocks = positiveInts('blocks', options.blocks ?? widths.map(() => 1));
  if (blocks.length !== widths.length) {
    throw new Error(`model config: backboneOptions.blocks: ${blocks.length} entries, widths has ${widths.length}`);
  }
  const stemStride = options.stemStride ?? 2;
  if (stemStride !== 1 && stemStride !== 2) throw new Error('model config: backboneOptions.stemStride: expected 1 or 2');
  return { widths, blocks, stemStride };
}

export function tiny(ctx: BuildContext, x: T, options: Record<string, unknown>): T {
  const o = tinyOptions(options);
  x = pad(x, 'stem_pad', 1);
  x = conv(ctx, x, 'stem_conv', o.widths[0], 3, o.stemStride, false);
  x = relu(bn(x, 'stem_bn', BN), 'stem_relu');
  return stages(ctx, x, o.widths, o.blocks);
}
