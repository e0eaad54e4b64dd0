import type { OnnxGraph, OnnxNode } from '../onnx-graph';
import { registerConverter, type ConvertArgs } from '../registry';
import { physicalAxis, type Value } from '../value';
import { pair, requireChannelsLast, unsupported } from './config';
import { padAttrs, spatialPads } from './spatial-padding';

/** ONNX pads [top, left, bottom, right] of a zero Pad node on NCHW feeding `name`, if it is one. */
function zeroPadOf(g: OnnxGraph, name: string): { node: OnnxNode; pads: number[] } | undefined {
  const node = g.producer(name);
  if (!node || node.opType !== 'Pad' || node.inputs.length < 2 || (node.attrs.mode ?? 'constant') !== 'constant') return undefined;
  const p = g.initializers.get(node.inputs[1])?.data;
  if (!(p instanceof BigInt64Array) || p.length !== 8) return undefined;
  const v = Array.from(p, Number);
  if (v[0] || v[1] || v[4] || v[5]) return undefined;
  return { node, pads: [v[2], v[3], v[6], v[7]] };
}

/** Does [lo, hi] meet [a, b)? */
const meets = (lo: number, hi: number, a: number, b: number): boolean => lo < b && hi >= a && a < b;

/**
 * Zero padding (ZeroPadding2D) followed by max pooling, written so that it stays exact in
 * onnxruntime: its PadFusion (ORT 1.30, optimisation level basic and up) folds a zero Pad into
 * MaxPool's pads, which MaxPool treats as -inf, so a window of negative values next to the border
 * loses its 0 (onnxsim issue #290 is the same bug). Instead: MaxPool on the unpadded input with
 * the padding in `pads` (-inf), then Max with a constant that is 0 where a window meets the zero
 * band and -FLT_MAX elsewhere. Needs static sizes and pads smaller than the kernel; else undefined.
 */
function maxPoolOverZeroPad(a: ConvertArgs, x: Value, kernel: [number, number], strides: [number, number], own: number[]): string | undefined {
  const g = a.ctx.graph;
  const zp = zeroPadOf(g, x.name);
  const [hp, wp] = [x.shape[1], x.shape[2]];
  const out = a.outputShapes[0];
  if (!zp || hp == null || wp == null || out[1] == null || out[2] == null) return undefined;
  const pads = [0, 1, 2, 3].map((i) => zp.pads[i] + own[i]);
  if (pads.some((p, i) => p >= kernel[i % 2])) return undefined;
  const [ho, wo] = [out[1], out[2]];
  const mask = new Float32Array(ho * wo).fill(-3.4028234663852886e38);
  for (let i = 0; i < ho; i++) {
    // Window rows/cols in the zero-padded tensor's coordinates (own padding lies outside [0, hp)).
    const r0 = Math.max(i * strides[0] - own[0], 0);
    const r1 = Math.min(i * strides[0] - own[0] + kernel[0] - 1, hp - 1);
    for (let j = 0; j < wo; j++) {
      const c0 = Math.max(j * strides[1] - own[1], 0);
      const c1 = Math.min(j * strides[1] - own[1] + kernel[1] - 1, wp - 1);
      if (r0 > r1 || c0 > c1) continue;
      const zeroRows = meets(r0, r1, 0, zp.pads[0]) || meets(r0, r1, hp - zp.pads[2], hp);
      const zeroCols = meets(c0, c1, 0, zp.pads[1]) || meets(c0, c1, wp - zp.pads[3], wp);
      if (zeroRows || zeroCols) mask[i * wo + j] = 0;
    }
  }
  const pooled = g.add1('MaxPool', [zp.node.inputs[0]], `${a.name}/unpadded`, { kernel_shape: kernel, strides, pads });
  return g.add1('Max', [pooled, g.constant(`${a.name}/zero_band`, mask, [1, 1, ho, wo])], a.name);
}

/**
 * Gives a zero Pad node a constant_value computed at run time (0 * batch size, as float) so that
 * onnxruntime's PadFusion, which only fuses a constant zero, leaves it alone: fused into
 * AveragePool it would change which cells are counted (or exceed the kernel, which fails to load).
 */
function keepPadUnfused(g: OnnxGraph, pad: OnnxNode): void {
  if (pad.inputs.length > 2) return;
  const base = pad.outputs[0];
  const shape = g.add1('Shape', [pad.inputs[0]], `${base}/shape`);
  const batch = g.add1('Gather', [shape, g.constant(`${base}/i0`, BigInt64Array.of(0n), [])], `${base}/batch`, { axis: 0 });
  const zero = g.add1('Mul', [batch, g.constant(`${base}/zero_i64`, BigInt64Array.of(0n), [])], `${base}/zero_i64v`);
  const value = g.add1('Cast', [zero], `${base}/zero`, { to: 1 /* FLOAT */ });
  // The new nodes were appended; move them before the Pad so the order stays topological.
  const added = g.nodes.splice(g.nodes.length - 4, 4);
  g.nodes.splice(g.nodes.indexOf(pad), 0, ...added);
  pad.inputs.push(value);
}

/**
 * 2-D pooling with TF padding. Max pooling ignores padded cells; TF average pooling divides by
 * the number of real cells, which is ONNX count_include_pad = 0.
 */
function pool2d(op: 'MaxPool' | 'AveragePool') {
  return (a: ConvertArgs): Value[] => {
    requireChannelsLast(a.config, a.layer);
    if (a.inputs[0].shape.length !== 4) throw unsupported(a.layer, `input rank ${a.inputs[0].shape.length}`);
    const x = a.ctx.channelsFirst(a.inputs[0]);
    const kernel = pair(a.config.poolSize ?? 2, 'poolSize', a.layer);
    const strides = pair(a.config.strides ?? kernel, 'strides', a.layer);
    const padding = String(a.config.padding ?? 'valid');
    const p = spatialPads(padding, [x.shape[1], x.shape[2]], kernel, strides);
    const fused = op === 'MaxPool' && p !== 'SAME_UPPER' ? maxPoolOverZeroPad(a, x, kernel, strides, p) : undefined;
    const zp = fused ? undefined : zeroPadOf(a.ctx.graph, x.name);
    if (zp) keepPadUnfused(a.ctx.graph, zp.node);
    const attrs = { kernel_shape: kernel, strides, ...padAttrs(p), ...(op === 'AveragePool' ? { count_include_pad: 0 } : {}) };
    const y = fused ?? a.ctx.graph.add1(op, [x.name], a.name, attrs);
    return [{ name: y, shape: a.outputShapes[0], layout: 'channels-first' }];
  };
}

registerConverter('MaxPooling2D', pool2d('MaxPool'));
registerConverter('AveragePooling2D', pool2d('AveragePool'));

/** Global pooling over the spatial axes of whatever layout the input has; the result is [N, C]. */
function global(op: 'ReduceMean' | 'ReduceMax') {
  return (a: ConvertArgs): Value[] => {
    requireChannelsLast(a.config, a.layer);
    const x = a.inputs[0];
    const rank = x.shape.length;
    const axes = Array.from({ length: rank - 2 }, (_, i) => physicalAxis(x, i + 1));
    const keep = a.config.keepDims === true;
    const y = a.ctx.graph.add1(op, [x.name], a.name, { axes, keepdims: keep ? 1 : 0 });
    return [{ name: y, shape: a.outputShapes[0], layout: keep ? x.layout : 'logical' }];
  };
}

registerConverter(['GlobalAveragePooling2D', 'GlobalAveragePooling1D'], global('ReduceMean'));
registerConverter(['GlobalMaxPooling2D', 'GlobalMaxPooling1D'], global('ReduceMax'));
