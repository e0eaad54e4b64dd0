/**
 * `@ffem/export`: tfjs LayersModel -> ONNX (opset 13..17, written with `onnx-proto`), and its
 * verification against tfjs through onnxruntime (`@ffem/ort`).
 *
 * - `exportToOnnx(model, opts)`: the ONNX bytes. Input `input` float32 NHWC [batch, H, W, 3]
 *   (`nchw`: [batch, 3, H, W]), dynamic batch; output `embedding` [batch, D].
 * - `verifyOnnx(model, bytes, inputs?)`: max abs / relative difference and min cosine vs tfjs.
 * - `exportModelDir(dir, output, opts)`: load a saved model, export, optionally verify, write
 *   atomically (what `ffem export` calls).
 * - `registerConverter(className, fn)`: converters are looked up by tfjs className; a layer
 *   without one fails the export with its name and class.
 */
export { exportToOnnx, exportWithReport, INPUT_NAME, OUTPUT_NAME, type ExportOptions, type ExportReport } from './export-onnx';
export { verifyOnnx, type VerifyResult, VERIFY_THRESHOLDS } from './verify';
export { exportModelDir, type ExportModelDirOptions, type ExportModelDirResult } from './export-model-dir';
export { loadVerifyImages } from './verify-images';
export { registerConverter, converters, type Converter, type ConvertArgs } from './registry';
export { ConvertContext, type Weight } from './context';
export type { Value, Layout } from './value';
export { decodeModel } from './onnx-graph';
export { EXPORTER_VERSION, DEFAULT_NORMALIZATION } from './metadata';
export { type QuantizeReport } from './passes/quantize-int8';
