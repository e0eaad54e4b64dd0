import type * as tf from '@tensorflow/tfjs';
import type { ConvertContext } from './context';
import type { Value } from './value';

/** What a converter gets for one call of one layer. */
export interface ConvertArgs {
  layer: tf.layers.Layer;
  /** The layer's config (`layer.getConfig()`). */
  config: Record<string, unknown>;
  inputs: Value[];
  /** Keras shapes of this call's outputs (batch dim null). */
  outputShapes: (number | null)[][];
  /** A base for node/value names, unique per layer call. */
  name: string;
  ctx: ConvertContext;
}

/**
 * Emits the ONNX nodes and initializers for one layer call and returns its outputs (their
 * `shape` is the Keras shape, their `layout` whatever suits the emitted ops).
 */
export type Converter = (args: ConvertArgs) => Value[];

/** Converters by tfjs className. */
export const converters = new Map<string, Converter>();

/** Registers `converter` for each className (last registration wins). */
export function registerConverter(classNames: string | string[], converter: Converter): void {
  for (const c of Array.isArray(classNames) ? classNames : [classNames]) converters.set(c, converter);
}
