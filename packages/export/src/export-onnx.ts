import * as tf from '@tensorflow/tfjs';
import { ConvertContext } from './context';
import './converters';
import { defaultMetadata } from './metadata';
import { encodeModel, OnnxGraph, type ValueSpec } from './onnx-graph';
import { foldBatchNorms } from './passes/fold-bn';
import { quantizeWeightsInt8, type QuantizeReport } from './passes/quantize-int8';
import { convertGraph } from './walk';
import type { Value } from './value';

export interface ExportOptions {
  /** Take NCHW input [batch, 3, H, W] instead of NHWC [batch, H, W, 3]. */
  nchw?: boolean;
  /** Fold batch norms into the preceding Conv/Gemm. */
  foldBn?: boolean;
  /** Weight-only quantization. */
  quantize?: 'int8';
  /** Metadata properties, merged over the defaults (model name, sizes, layout, ...). */
  metadata?: Record<string, string>;
  /** ONNX opset, 13..17 (default 17). */
  opset?: number;
}

export interface ExportReport {
  bytes: Uint8Array;
  nodes: number;
  foldedBatchNorms: number;
  quantized?: QuantizeReport;
  metadata: Record<string, string>;
}

/** Name of the graph input and of the first graph output. */
export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'embedding';

const dims = (shape: (number | null)[], prefix: string): (number | string)[] =>
  shape.map((d, i) => (i === 0 ? 'batch' : (d ?? `${prefix}_d${i}`)));

/** As `exportToOnnx`, also returning what was done (folded BNs, quantization sizes). */
export function exportWithReport(model: tf.LayersModel, opts: ExportOptions = {}): ExportReport {
  const opset = opts.opset ?? 17;
  if (!Number.isInteger(opset) || opset < 13 || opset > 17) throw new Error(`export: opset ${opset} not supported (13..17)`);
  if (opts.quantize !== undefined && opts.quantize !== 'int8') throw new Error(`export: quantize '${String(opts.quantize)}' not supported (int8)`);
  if (model.inputs.length !== 1) throw new Error(`export: model '${model.name}' has ${model.inputs.length} inputs, expected 1`);
  const inShape = [...model.inputs[0].shape];
  if (opts.nchw && inShape.length < 3) throw new Error(`export: --nchw needs an input of rank >= 3, got [${inShape}]`);

  const g = new OnnxGraph();
  const ctx = new ConvertContext(g);
  const input: Value = { name: g.reserve(INPUT_NAME), shape: inShape, layout: opts.nchw ? 'channels-first' : 'logical' };
  // Reserved before conversion so that no layer (say, one named 'embedding') can take them.
  const outNames = model.outputs.map((_, i) => g.reserve(i === 0 ? OUTPUT_NAME : `output_${i}`));
  const outs = convertGraph(ctx, model.inputs, [input], model.outputs).map((v) => ctx.logical(v));
  outs.forEach((v, i) => {
    const producedHere = g.producer(v.name) && !outs.slice(0, i).some((o) => o.name === v.name);
    if (producedHere) g.rename(v.name, outNames[i]);
    else g.nodes.push({ opType: 'Identity', name: g.uniqueName(`${outNames[i]}/Identity`), inputs: [v.name], outputs: [outNames[i]], attrs: {} });
  });

  g.pruneDeadNodes(new Set(outNames));
  const folded = opts.foldBn ? foldBatchNorms(g, new Set(outNames)) : 0;
  const quantized = opts.quantize === 'int8' ? quantizeWeightsInt8(g) : undefined;

  const inputSpec: ValueSpec = {
    name: INPUT_NAME,
    dims: opts.nchw ? dims([inShape[0], inShape[inShape.length - 1], ...inShape.slice(1, -1)], 'input') : dims(inShape, 'input'),
  };
  const outputSpecs: ValueSpec[] = model.outputs.map((t, i) => ({ name: outNames[i], dims: dims([...t.shape], outNames[i]) }));
  const metadata = { ...defaultMetadata(model, opts, folded), ...(opts.metadata ?? {}) };
  const bytes = encodeModel(g, {
    graphName: model.name,
    inputs: [inputSpec],
    outputs: outputSpecs,
    opset,
    metadata,
    producerVersion: metadata.exporter_version,
  });
  return { bytes, nodes: g.nodes.length, foldedBatchNorms: folded, quantized, metadata };
}

/**
 * Converts a tfjs LayersModel to an ONNX file (bytes). Input `input`: float32 NHWC
 * [batch, H, W, C] (NCHW with `nchw`), dynamic batch; output `embedding` (further outputs
 * `output_<i>`). Throws, naming the layer and its class, when a layer has no converter.
 */
export function exportToOnnx(model: tf.LayersModel, opts: ExportOptions = {}): Uint8Array {
  return exportWithReport(model, opts).bytes;
}
