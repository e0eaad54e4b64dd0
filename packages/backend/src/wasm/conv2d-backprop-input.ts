/**
 * `Conv2DBackpropInput` for the tfjs `wasm` backend, replacing its direct loop (about 1 GFLOP/s).
 * Strided convolutions with many output pixels per channel on onnxruntime (the default engine, see
 * heap.ts): `ConvTranspose` of dy with the filter (conv2d-ort.ts). Otherwise `dcols [P, kH*kW*inC]
 * = dy @ W^T` as one GEMM, then
 * col2im onto the input gradient (skipped for 1x1 stride-1 convolutions, whose column matrix
 * already is the gradient); other stride-1 convolutions run as a forward convolution of dy with
 * the flipped, transposed filter (`byConvolution`; on onnxruntime too, through Conv2D).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convGeometry, isPointwise, type ConvGeometry } from './conv-geometry';
import { alloc, free, gemm, heapF32, offsetF32, ortEngine, transpose2d, view } from './heap';
import { col2im } from './im2col';
import { convBackpropInputOnOrt } from './conv2d-ort';

/** How stride-1, non-pointwise gradients are computed (measured in bench/train-step). */
const STRATEGY: 'gemm' | 'convolution' = 'convolution';

let conv2D: tf.KernelFunc | null = null;

/**
 * dx of a stride-1 convolution = conv2d(dy, W') with W'[kh, kw, o, i] = W[kH-1-kh, kW-1-kw, i, o]
 * and padding kH-1-top / kH-1-bottom (rows), kW-1-left / kW-1-right (columns).
 */
export function backpropInputByConvolution(backend: BackendWasm, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry, padBottom: number, padRight: number): tf.TensorInfo {
  if (!conv2D) {
    const kernel = tf.getKernel('Conv2D', 'wasm');
    if (!kernel) throw new Error('wasm backend: no Conv2D kernel registered');
    conv2D = kernel.kernelFunc;
  }
  const { kH, kW, inC, outC } = g;
  const flipped = alloc(backend, [kH, kW, outC, inC]);
  const heap = heapF32(backend);
  const src = offsetF32(backend, filter);
  const dst = offsetF32(backend, flipped);
  for (let kh = 0; kh < kH; kh++) {
    for (let kw = 0; kw < kW; kw++) {
      const s = src + ((kH - 1 - kh) * kW + (kW - 1 - kw)) * inC * outC;
      transpose2d(heap, s, dst + (kh * kW + kw) * outC * inC, inC, outC);
    }
  }
  const dx = conv2D({
    inputs: { x: dy, filter: flipped },
    backend,
    attrs: {
      strides: [1, 1],
      pad: [
        [0, 0],
        [kH - 1 - g.padTop, kH - 1 - padBottom],
        [kW - 1 - g.padLeft, kW - 1 - padRight],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [1, 1],
    },
  }) as tf.TensorInfo;
  free(backend, flipped);
  return dx;
}

/** dx through one GEMM and col2im (any stride). */
export function backpropInputByGemm(backend: BackendWasm, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const P = g.n * g.outH * g.outW;
  const K = g.kH * g.kW * g.inC;
  // dcols [P, kH*kW*inC] = dy [P, outC] @ W^T, W being the filter as [kH*kW*inC, outC].
  const dcols = gemm(backend, dy, filter, P, g.outC, K, false, true);
  if (isPointwise(g)) return view(dcols, [g.n, g.inH, g.inW, g.inC]);
  const dx = alloc(backend, [g.n, g.inH, g.inW, g.inC]);
  col2im(heapF32(backend), offsetF32(backend, dcols), offsetF32(backend, dx), g);
  free(backend, dcols);
  return dx;
}

function conv2DBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') throw new Error('Conv2DBackpropInput (wasm, @ffem/backend): float32 only');
  const xShape = inputShape as [number, number, number, number];
  const filterShape = filter.shape as [number, number, number, number];
  const g = convGeometry(xShape, filterShape, strides, pad, dimRoundingMode, dataFormat, 'Conv2DBackpropInput');
  // GEMM + col2im costs a pass over P x kH*kW*inC in JS; the convolution routes handle the whole
  // filter (flipped and transposed in JS, or reordered by onnxruntime) on every call. Measured on
  // ResNet50's shapes at batch 8, the GEMM wins where the output has fewer than about 8 pixels
  // per output channel (the late stages: 8.6 against 67 ms for a 3x3 512 stride 2).
  const manyPixels = g.n * g.outH * g.outW >= 8 * g.outC;
  if (ortEngine().name === 'onnxruntime' && !manyPixels) return backpropInputByGemm(backend, dy, filter, g);
  const onOrt = convBackpropInputOnOrt(backend, dy, filter, xShape, args.attrs as unknown as tf.Conv2DBackpropInputAttrs);
  if (onOrt) return onOrt;
  if (STRATEGY === 'convolution' && g.strideH === 1 && g.strideW === 1 && !isPointwise(g)) {
    const { padInfo } = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode);
    return backpropInputByConvolution(backend, dy, filter, g, padInfo.bottom, padInfo.right);
  }
  return backpropInputByGemm(backend, dy, filter, g);
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as tf.KernelFunc,
};
