/**
 * `Conv2D` and `FusedConv2D` (bias, linear or ReLU activation) for the tfjs `wasm` backend on
 * onnxruntime's MLAS, through a small synchronous ONNX graph per convolution shape: 1x1 stride-1
 * convolutions as one matrix product on the NHWC data as it lies (`MatMul`, or `Gemm` with the
 * bias), others with the NHWC input and HWIO filter transposed in the graph to ONNX's NCHW /
 * OIHW, `Conv`, and the output transposed back; `Relu` after either when fused; k x k filters
 * over 8 or more channels without bias or activation as im2col + GEMM (see useIm2col). About 4x
 * the backend's XNNPACK convolution on one thread here (MLAS uses AVX-512 and all cores; wasm
 * SIMD is 128 bits wide). Anything else (NCHW, other activations,
 * dilation with strides, non-float32, or `FFEM_WASM_ORT=0`) goes to the backend's own kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { onnx } from 'onnx-proto';
import { openSyncSession, type SyncRun } from '@ffem/ort';
import { convGeometry } from './conv-geometry';
import { alloc, free, gemm, heapF32, offsetF32, ortEngine, ortThreads, runOnHeap, view } from './heap';
import { im2col } from './im2col';
import { withFallback } from './fallback-kernel';

interface ConvSpec {
  x: number[];
  filter: number[];
  strides: [number, number];
  dilations: [number, number];
  /** top, left, bottom, right */
  pads: [number, number, number, number];
  bias: boolean;
  relu: boolean;
}

// ONNX graph pieces for the models below.
const F = onnx.TensorProto.DataType.FLOAT;
const value = (name: string, dims: number[]) => onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: F, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } } });
/** An output whose shape onnxruntime infers (no shape, not a rank-0 one). */
const output = (name: string) => onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: F } } });
const ints = (name: string, v: number[]) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
const node = (opType: string, input: string[], outputs: string[], attribute: onnx.IAttributeProto[] = []) => onnx.NodeProto.create({ opType, input, output: outputs, attribute });
const encode = (graph: onnx.IGraphProto) => onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, producerName: '@ffem/backend', opsetImport: [{ domain: '', version: 13 }], graph })).finish();

/** 1x1, stride 1, no padding: a matrix product on the NHWC data as it lies, no transposes. */
function isPointwise(s: ConvSpec): boolean {
  return s.filter[0] === 1 && s.filter[1] === 1 && s.strides.every((v) => v === 1) && s.pads.every((v) => v === 0);
}

function convModel(s: ConvSpec): Uint8Array {
  const [kH, kW, inC, outC] = s.filter;
  const bias = s.bias ? ['b'] : [];
  const last = (from: string) => (s.relu ? [node('Relu', [from], ['y'])] : []);
  let nodes: onnx.INodeProto[];
  let inputs: onnx.IValueInfoProto[];
  if (isPointwise(s)) {
    // x [N*H*W, inC] @ w [inC, outC] (+ b) = y [N*H*W, outC]: the same bytes as the NHWC tensors.
    const rows = s.x[0] * s.x[1] * s.x[2];
    nodes = [node(s.bias ? 'Gemm' : 'MatMul', ['x', 'w', ...bias], [s.relu ? 'yc' : 'y']), ...last('yc')];
    inputs = [value('x', [rows, inC]), value('w', [inC, outC])];
  } else {
    nodes = [
      node('Transpose', ['x'], ['xt'], [ints('perm', [0, 3, 1, 2])]),
      node('Transpose', ['w'], ['wt'], [ints('perm', [3, 2, 0, 1])]),
      node('Conv', ['xt', 'wt', ...bias], [s.relu ? 'yc' : 'yt'], [ints('kernel_shape', [kH, kW]), ints('strides', s.strides), ints('dilations', s.dilations), ints('pads', s.pads)]),
      ...(s.relu ? [node('Relu', ['yc'], ['yt'])] : []),
      node('Transpose', ['yt'], ['y'], [ints('perm', [0, 2, 3, 1])]),
    ];
    inputs = [value('x', s.x), value('w', s.filter)];
  }
  return encode({ name: 'ffem_conv2d_nhwc', node: nodes, input: [...inputs, ...(s.bias ? [value('b', [outC])] : [])], output: [output('y')] });
}

const sessions = new Map<string, SyncRun>();

function session(key: string, model: () => Uint8Array): SyncRun {
  let run = sessions.get(key);
  if (!run) sessions.set(key, (run = openSyncSession(model(), ortThreads())));
  return run;
}

/**
 * The input gradient of a convolution as ONNX `ConvTranspose` of dy with the same filter: the
 * forward pads cut from the full output, `output_padding` restoring the rows and columns the
 * forward convolution's stride left unread at the bottom and right.
 */
function convTransposeModel(dy: number[], filter: number[], strides: number[], pads: number[], outputPadding: number[]): Uint8Array {
  return encode({
    name: 'ffem_conv2d_backprop_input_nhwc',
    node: [
      node('Transpose', ['dy'], ['dyt'], [ints('perm', [0, 3, 1, 2])]),
      node('Transpose', ['w'], ['wt'], [ints('perm', [3, 2, 0, 1])]),
      node('ConvTranspose', ['dyt', 'wt'], ['dxt'], [ints('kernel_shape', [filter[0], filter[1]]), ints('strides', strides), ints('pads', pads), ints('output_padding', outputPadding)]),
      node('Transpose', ['dxt'], ['dx'], [ints('perm', [0, 2, 3, 1])]),
    ],
    input: [value('dy', dy), value('w', filter)],
    output: [output('dx')],
  });
}

/**
 * dx of a strided NHWC convolution (input shape `xShape`) on onnxruntime, or null where it does not
 * apply (XNNPACK engine, stride 1, or a geometry ONNX cannot say).
 */
export function convBackpropInputOnOrt(backend: BackendWasm, dy: tf.TensorInfo, filter: tf.TensorInfo, xShape: [number, number, number, number], attrs: tf.Conv2DBackpropInputAttrs): tf.TensorInfo | null {
  if (ortEngine().name !== 'onnxruntime' || attrs.dataFormat !== 'NHWC' || dy.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  const fShape = filter.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(xShape, fShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const p = info.padInfo;
  const s = [info.strideHeight, info.strideWidth];
  // Stride 1 is left to the caller: as a forward convolution (on onnxruntime too) it is as fast
  // or faster (6.4 against 9.6 ms for a [8, 28, 28, 64] 3x3 gradient here).
  if (s[0] === 1 && s[1] === 1) return null;
  const outputPadding = [
    xShape[1] - (s[0] * (info.outHeight - 1) + fShape[0] - p.top - p.bottom),
    xShape[2] - (s[1] * (info.outWidth - 1) + fShape[1] - p.left - p.right),
  ];
  if ([p.top, p.left, p.bottom, p.right].some((v) => v < 0) || outputPadding.some((v, i) => v < 0 || v >= s[i])) return null;
  const dyShape = dy.shape as number[];
  const pads = [p.top, p.left, p.bottom, p.right];
  const run = session(JSON.stringify({ op: 'ConvTranspose', dyShape, fShape, s, pads, outputPadding }), () => convTransposeModel(dyShape, fShape, s, pads, outputPadding));
  const dx = alloc(backend, xShape);
  runOnHeap(backend, run, { dy: { t: dy, dims: dyShape }, w: { t: filter, dims: fShape } }, { dx: { t: dx, dims: xShape } });
  return dx;
}

/** The convolution on onnxruntime, or null where it does not apply (the caller falls back). */
function convOnOrt(backend: BackendWasm, x: tf.TensorInfo, filter: tf.TensorInfo, bias: tf.TensorInfo | undefined, attrs: tf.FusedConv2DAttrs, relu: boolean): tf.TensorInfo | null {
  if (ortEngine().name !== 'onnxruntime' || attrs.dataFormat !== 'NHWC' || x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  if (bias && (bias.dtype !== 'float32' || bias.shape.length !== 1)) return null;
  const xShape = x.shape as [number, number, number, number];
  const fShape = filter.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(xShape, fShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const p = info.padInfo;
  if (p.top < 0 || p.left < 0 || p.bottom < 0 || p.right < 0 || info.outHeight <= 0 || info.outWidth <= 0) return null;
  const spec: ConvSpec = {
    x: xShape,
    filter: fShape,
    strides: [info.strideHeight, info.strideWidth],
    dilations: [info.dilationHeight, info.dilationWidth],
    pads: [p.top, p.left, p.bottom, p.right],
    bias: !!bias,
    relu,
  };
  const pointwise = isPointwise(spec);
  if (!bias && !relu && !pointwise && spec.dilations.every((d) => d === 1) && useIm2col(fShape[2])) {
    // im2col + one GEMM: no per-call reordering of a large filter (see useIm2col).
    const g = convGeometry(xShape, fShape, attrs.strides, attrs.pad, attrs.dimRoundingMode, 'NHWC', 'Conv2D');
    const P = g.n * g.outH * g.outW;
    const K = g.kH * g.kW * g.inC;
    const cols = alloc(backend, [P, K]);
    im2col(heapF32(backend), offsetF32(backend, x), offsetF32(backend, cols), g);
    const y = gemm(backend, cols, filter, P, K, g.outC);
    free(backend, cols);
    return view(y, [g.n, g.outH, g.outW, g.outC]);
  }
  const run = session(JSON.stringify(spec), () => convModel(spec));
  const outShape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  const y = alloc(backend, outShape);
  const rows = xShape[0] * xShape[1] * xShape[2];
  runOnHeap(
    backend,
    run,
    {
      x: { t: x, dims: pointwise ? [rows, fShape[2]] : xShape },
      w: { t: filter, dims: pointwise ? [fShape[2], fShape[3]] : fShape },
      ...(bias ? { b: { t: bias, dims: [fShape[3]] } } : {}),
    },
    { y: { t: y, dims: pointwise ? [rows, fShape[3]] : outShape } },
  );
  return y;
}

/**
 * Whether a k x k convolution goes through im2col + GEMM rather than onnxruntime's Conv, which
 * reorders a filter given as an input (not a constant) on every call: measured per ResNet50 shape
 * at batch 8, im2col + GEMM took 6.8 / 4.3 / 3.5 / 5.7 / 4.7 ms where Conv took 8.7 / 6.8 / 16 /
 * 67 / 66 (the last stages' 3x3 512 filters). Not for few input channels (the 7x7 stem on RGB:
 * 8.4 against 6.2 ms), whose im2col copies runs of a few floats.
 */
function useIm2col(inChannels: number): boolean {
  return inChannels >= 8;
}

export const conv2DConfig = withFallback('Conv2D', ({ inputs, backend, attrs }) => {
  const { x, filter } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  return convOnOrt(backend as BackendWasm, x, filter, undefined, attrs as unknown as tf.FusedConv2DAttrs, false);
});

export const fusedConv2DConfig = withFallback('FusedConv2D', ({ inputs, backend, attrs }) => {
  const { x, filter, bias, preluActivationWeights } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo; preluActivationWeights?: tf.TensorInfo };
  const a = attrs as unknown as tf.FusedConv2DAttrs;
  if (preluActivationWeights || (a.activation !== 'linear' && a.activation !== 'relu')) return null;
  return convOnOrt(backend as BackendWasm, x, filter, bias, a, a.activation === 'relu');
});
