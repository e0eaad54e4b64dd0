/**
 * `Conv2DBackpropFilter` for the tfjs `wasm` backend, which has none: the filter gradient as one
 * GEMM, `dW [kH*kW*inC, outC] = cols^T [kH*kW*inC, P] @ dy [P, outC]` (P = output pixels), through
 * {@link gemm} (onnxruntime's MLAS, or the backend's XNNPACK product); im2col and the operands
 * live on the wasm heap. 1x1 stride-1 convolutions need no im2col (`cols` is x itself).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convGeometry, isPointwise } from './conv-geometry';
import { alloc, free, gemm, heapF32, offsetF32, view } from './heap';
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
  // dW [kH*kW*inC, outC] = cols^T @ dy: the filter's own (HWIO) layout, no transposes.
  const cols = isPointwise(g) ? null : alloc(backend, [P, K]);
  if (cols) im2col(heapF32(backend), offsetF32(backend, x), offsetF32(backend, cols), g);
  const dw = gemm(backend, cols ?? x, dy, K, P, g.outC, true, false);
  if (cols) free(backend, cols);
  return view(dw, [g.kH, g.kW, g.inC, g.outC]);
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as tf.KernelFunc,
};
