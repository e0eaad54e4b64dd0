import type * as tf from '@tensorflow/tfjs';
import { OnnxGraph } from './onnx-graph';
import { toChannelsFirstPerm, toLogicalPerm, type Value } from './value';

/** A layer weight read out of tfjs as plain data. */
export interface Weight {
  data: Float32Array;
  shape: number[];
}

/**
 * What a converter works with: the graph being built, layout changes (cached, so a tensor is
 * transposed at most once each way) and the layer's weights.
 */
export class ConvertContext {
  private readonly layoutCache = new Map<string, Value>();

  constructor(readonly graph: OnnxGraph) {}

  /** The value stored channels-first (NCHW for rank 4); inserts one Transpose if needed. */
  channelsFirst(v: Value): Value {
    if (v.layout === 'channels-first') return v;
    if (v.shape.length < 3) throw new Error(`${v.name}: rank ${v.shape.length} has no channels-first layout`);
    return this.transposed(v, 'channels-first', toChannelsFirstPerm(v.shape.length));
  }

  /** The value stored in its Keras (logical) layout; inserts one Transpose if needed. */
  logical(v: Value): Value {
    if (v.layout === 'logical') return v;
    return this.transposed(v, 'logical', toLogicalPerm(v.shape.length));
  }

  /** All values in one common layout: channels-first when every one is, else logical. */
  common(vs: Value[]): Value[] {
    return vs.every((v) => v.layout === 'channels-first') ? vs : vs.map((v) => this.logical(v));
  }

  private transposed(v: Value, layout: Value['layout'], perm: number[]): Value {
    const key = `${v.name}\u0000${layout}`;
    const hit = this.layoutCache.get(key);
    if (hit) return hit;
    const name = this.graph.add1('Transpose', [v.name], `${v.name}_${layout === 'logical' ? 'nhwc' : 'nchw'}`, { perm });
    const out: Value = { name, shape: v.shape, layout };
    this.layoutCache.set(key, out);
    // Going back must not add a second Transpose.
    this.layoutCache.set(`${name}\u0000${v.layout}`, v);
    return out;
  }

  /** The layer's weight whose name ends in `/key` (e.g. 'kernel', 'moving_mean'), or undefined. */
  weight(layer: tf.layers.Layer, key: string): Weight | undefined {
    const re = new RegExp(`(^|/)${key}(_\\d+)?$`);
    const v = layer.weights.find((w) => re.test(w.originalName ?? w.name));
    if (!v) return undefined;
    const t = v.read();
    return { data: Float32Array.from(t.dataSync() as Float32Array), shape: [...t.shape] };
  }

  /** As `weight`, but a missing weight is an error naming the layer. */
  requireWeight(layer: tf.layers.Layer, key: string): Weight {
    const w = this.weight(layer, key);
    if (!w) throw new Error(`layer '${layer.name}' (${layer.getClassName()}): no weight '${key}'`);
    return w;
  }
}

/** Transposes a host array of shape `shape` by `perm` (weight layout changes), in plain JS. */
export function transposeData(data: Float32Array, shape: number[], perm: number[]): { data: Float32Array; shape: number[] } {
  const rank = shape.length;
  if (perm.length !== rank) throw new Error(`transposeData: perm [${perm}] for shape [${shape}]`);
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i];
  }
  // Stride in the input of each output axis; walk the output in order with an odometer.
  const strides = perm.map((p) => inStrides[p]);
  const out = new Float32Array(data.length);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src];
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax]++;
      src += strides[ax];
      if (idx[ax] < outShape[ax]) break;
      src -= strides[ax] * outShape[ax];
      idx[ax] = 0;
    }
  }
  return { data: out, shape: outShape };
}
