import type * as tf from '@tensorflow/tfjs';

/** This package's version, written into every export. */
export const EXPORTER_VERSION: string = `@ffem/export ${(require('../package.json') as { version: string }).version}`;

/** Normalisation note for models that take RGB in [0, 1] and normalise inside the graph. */
export const DEFAULT_NORMALIZATION = 'input float32 RGB in [0, 1]; any normalisation is inside the graph';

/**
 * The metadata properties every export carries (keys are a contract with `@ffem/evaluate`):
 * model_name, embedding_size, input_size (HxW), input_channels, input_layout (NHWC|NCHW),
 * normalization, config_hash (sha256 of the training config, 'unknown' without one),
 * exporter_version, opset, fold_bn, quantize.
 */
export function defaultMetadata(
  model: tf.LayersModel,
  opts: { nchw?: boolean; foldBn?: boolean; quantize?: string; opset?: number },
  foldedBatchNorms: number,
): Record<string, string> {
  const inShape = model.inputs[0].shape;
  const outShape = model.outputs[0].shape;
  const spatial = inShape.slice(1, -1).map((d) => (d == null ? '?' : String(d)));
  return {
    model_name: model.name,
    embedding_size: String(outShape[outShape.length - 1] ?? '?'),
    input_size: spatial.join('x'),
    input_channels: String(inShape[inShape.length - 1] ?? '?'),
    input_layout: opts.nchw ? 'NCHW' : 'NHWC',
    normalization: DEFAULT_NORMALIZATION,
    config_hash: 'unknown',
    exporter_version: EXPORTER_VERSION,
    opset: String(opts.opset ?? 17),
    fold_bn: opts.foldBn ? `true (${foldedBatchNorms} folded)` : 'false',
    quantize: opts.quantize ?? 'none',
  };
}
