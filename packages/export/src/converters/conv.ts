import { transposeData } from '../context';
import { registerConverter, type ConvertArgs } from '../registry';
import type { Value } from '../value';
import { applyActivation } from './activation';
import { pair, requireChannelsLast, unsupported, where } from './config';
import { padAttrs, spatialPads } from './spatial-padding';


interface Window {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  pads: Record<string, number[] | string>;
}

function windowOf(a: ConvertArgs, x: Value, kernel: [number, number]): Window {
  const strides = pair(a.config.strides ?? 1, 'strides', a.layer);
  const dilations = pair(a.config.dilationRate ?? 1, 'dilationRate', a.layer);
  const padding = String(a.config.padding ?? 'valid');
  if (padding !== 'same' && padding !== 'valid') throw unsupported(a.layer, `padding '${padding}'`);
  const pads = padAttrs(spatialPads(padding, [x.shape[1], x.shape[2]], kernel, strides, dilations));
  return { kernel, strides, dilations, pads };
}

function conv(a: ConvertArgs, x: Value, w: { data: Float32Array; shape: number[] }, win: Window, group: number, bias: boolean, base: string): string {
  const g = a.ctx.graph;
  const inputs = [x.name, g.constant(`${base}/W`, w.data, w.shape)];
  if (bias) {
    const b = a.ctx.requireWeight(a.layer, 'bias');
    inputs.push(g.constant(`${base}/B`, b.data, b.shape));
  }
  return g.add1('Conv', inputs, base, {
    kernel_shape: win.kernel,
    strides: win.strides,
    dilations: win.dilations,
    group,
    ...win.pads,
  });
}

function finish(a: ConvertArgs, y: string): Value[] {
  const v: Value = { name: y, shape: a.outputShapes[0], layout: 'channels-first' };
  return [applyActivation(a.ctx, v, a.config.activation, `${a.name}/act`, where(a.layer))];
}

function checkRank(a: ConvertArgs): Value {
  requireChannelsLast(a.config, a.layer);
  const x = a.inputs[0];
  if (x.shape.length !== 4) throw unsupported(a.layer, `input rank ${x.shape.length}`);
  return a.ctx.channelsFirst(x);
}

/** Keras Conv2D kernel [kh, kw, in, out] -> ONNX Conv W [out, in, kh, kw]. */
registerConverter('Conv2D', (a) => {
  const x = checkRank(a);
  const k = a.ctx.requireWeight(a.layer, 'kernel');
  const win = windowOf(a, x, [k.shape[0], k.shape[1]]);
  const y = conv(a, x, transposeData(k.data, k.shape, [3, 2, 0, 1]), win, 1, a.config.useBias !== false, a.name);
  return finish(a, y);
});

/**
 * Depthwise kernel [kh, kw, in, mult] -> grouped Conv W [in*mult, 1, kh, kw], group = in. TF's
 * output channel c*mult + m is ONNX group c's m-th output: the same order.
 */
function depthwiseWeight(k: { data: Float32Array; shape: number[] }): { data: Float32Array; shape: number[] } {
  const [kh, kw, cin, mult] = k.shape;
  const t = transposeData(k.data, [kh, kw, cin * mult], [2, 0, 1]);
  return { data: t.data, shape: [cin * mult, 1, kh, kw] };
}

registerConverter('DepthwiseConv2D', (a) => {
  const x = checkRank(a);
  const k = a.ctx.requireWeight(a.layer, 'depthwise_kernel');
  const win = windowOf(a, x, [k.shape[0], k.shape[1]]);
  const y = conv(a, x, depthwiseWeight(k), win, k.shape[2], a.config.useBias !== false, a.name);
  return finish(a, y);
});

/** SeparableConv2D = depthwise (strided, padded, no bias) then pointwise 1x1 with the bias. */
registerConverter('SeparableConv2D', (a) => {
  const x = checkRank(a);
  const dk = a.ctx.requireWeight(a.layer, 'depthwise_kernel');
  const pk = a.ctx.requireWeight(a.layer, 'pointwise_kernel');
  const win = windowOf(a, x, [dk.shape[0], dk.shape[1]]);
  const d = conv(a, x, depthwiseWeight(dk), win, dk.shape[2], false, `${a.name}/depthwise`);
  const pw = transposeData(pk.data, pk.shape, [3, 2, 0, 1]);
  const one: Window = { kernel: [1, 1], strides: [1, 1], dilations: [1, 1], pads: { pads: [0, 0, 0, 0] } };
  const y = conv(a, { ...x, name: d }, pw, one, 1, a.config.useBias !== false, a.name);
  return finish(a, y);
});
