import * as tf from '@tensorflow/tfjs';
import type { BuildContext } from '../build-context';
import { bn, conv, pad, relu } from './blocks';

/*
 * ResNet50V2 as keras.applications.resnet_v2.ResNet50V2(include_top=False, pooling=None):
 * keras/applications/resnet.py ResNet(preact=True, use_bias=True) with stack2/block2
 * (pre-activation bottlenecks, stride in the LAST block of a stack, 1x1 max-pool shortcut when
 * strided, projection conv on the preactivation in the first block). Layer names as Keras', so
 * weights map one to one. 23,564,800 parameters (Keras summary) at any input size.
 */

type T = tf.SymbolicTensor;
const BN = { epsilon: 1.001e-5, momentum: 0.99 };

function block2(ctx: BuildContext, x: T, filters: number, stride: number, convShortcut: boolean, name: string): T {
  let preact = bn(x, `${name}_preact_bn`, BN);
  preact = relu(preact, `${name}_preact_relu`);
  let shortcut: T;
  if (convShortcut) {
    shortcut = conv(ctx, preact, `${name}_0_conv`, 4 * filters, 1, stride, true);
  } else if (stride > 1) {
    shortcut = tf.layers.maxPooling2d({ name: `${name}_0_pool`, poolSize: 1, strides: stride }).apply(x) as T;
  } else {
    shortcut = x;
  }
  let y = conv(ctx, preact, `${name}_1_conv`, filters, 1, 1, false);
  y = relu(bn(y, `${name}_1_bn`, BN), `${name}_1_relu`);
  y = pad(y, `${name}_2_pad`, 1);
  y = conv(ctx, y, `${name}_2_conv`, filters, 3, stride, false);
  y = relu(bn(y, `${name}_2_bn`, BN), `${name}_2_relu`);
  y = conv(ctx, y, `${name}_3_conv`, 4 * filters, 1, 1, true);
  return tf.layers.add({ name: `${name}_out` }).apply([shortcut, y]) as T;
}

function stack2(ctx: BuildContext, x: T, filters: number, blocks: number, stride1: number, name: string): T {
  x = block2(ctx, x, filters, 1, true, `${name}_block1`);
  for (let i = 2; i < blocks; i++) x = block2(ctx, x, filters, 1, false, `${name}_block${i}`);
  return block2(ctx, x, filters, stride1, false, `${name}_block${blocks}`);
}

/** The ResNet50V2 trunk on an already normalised input ([-1, 1]); returns the last feature map. */
export function resnet50v2(ctx: BuildContext, x: T, options: Record<string, unknown>): T {
  const unknown = Object.keys(options);
  if (unknown.length) throw new Error(`model config: backboneOptions.${unknown[0]}: unknown key for resnet50v2`);
  x = pad(x, 'conv1_pad', 3);
  x = conv(ctx, x, 'conv1_conv', 64, 7, 2, true);
  x = pad(x, 'pool1_pad', 1);
  x = tf.layers.maxPooling2d({ name: 'pool1_pool', poolSize: 3, strides: 2 }).apply(x) as T;
  x = stack2(ctx, x, 64, 3, 2, 'conv2');
  x = stack2(ctx, x, 128, 4, 2, 'conv3');
  x = stack2(ctx, x, 256, 6, 2, 'conv4');
  x = stack2(ctx, x, 512, 3, 1, 'conv5');
  x = bn(x, 'post_bn', BN);
  return relu(x, 'post_relu');
}
