/**
 * `Conv2DBackpropFilter` for the tfjs `wasm` backend, which has none: the filter gradient as one
 * GEMM, `dW^T [outC, kH*kW*inC] = dy^T [outC, P] @ cols [P, kH*kW*inC]` (P = output pixels),
 * through the backend's XNNPACK matrix product; im2col, the transposes and the GEMM operands
 * live on the wasm heap. 1x1 stride-1 convolutions need no im2col, and where they widen the
 * channels compute `dW = x^T @ dy` instead (the narrower operand is the one transposed).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convGeometry, isPointwise } from './conv-geometry';
import { alloc, free, heapF32, matMul, offsetF32, transpose2d, view } from './heap';
import { im2col } from './im2col';

function conv2DBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') throw new Error('Conv2DBackpropFilter (wasm, @ffem/backend): float32 only');
  const g = convGeometry(
    x.shape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    pad,
    dimRoundingMode,
    dataFormat,
    'Conv2DBackpropFilter',
  );
  const P = g.n * g.outH * g.outW;
  const K = g.kH * g.kW * g.inC;
  if (isPointwise(g) && g.inC < g.outC) {
    // 1x1: dW [inC, outC] = x^T @ dy directly; transposing x (the narrower side) costs less.
    const xT = alloc(backend, [g.inC, P]);
    transpose2d(heapF32(backend), offsetF32(backend, x), offsetF32(backend, xT), P, g.inC);
    const dw = matMul(backend, xT, dy, g.inC, P, g.outC);
    free(backend, xT);
    return view(dw, [1, 1, g.inC, g.outC]);
  }
  const dyT = alloc(backend, [g.outC, P]);
  const cols = isPointwise(g) ? null : alloc(backend, [P, K]);
  let heap = heapF32(backend);
  transpose2d(heap, offsetF32(backend, dy), offsetF32(backend, dyT), P, g.outC);
  if (cols) im2col(heap, offsetF32(backend, x), offsetF32(backend, cols), g);
  const dwT = matMul(backend, dyT, cols ?? x, g.outC, P, K);
  free(backend, dyT);
  if (cols) free(backend, cols);
  const dw = alloc(backend, [g.kH, g.kW, g.inC, g.outC]);
  heap = heapF32(backend);
  transpose2d(heap, offsetF32(backend, dwT), offsetF32(backend, dw), g.outC, K);
  free(backend, dwT);
  return dw;
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as tf.KernelFunc,
};
