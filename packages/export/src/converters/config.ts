import type * as tf from '@tensorflow/tfjs';

/** A config value as a pair of ints (Keras accepts `3` for `[3, 3]`). */
export function pair(v: unknown, what: string, layer: tf.layers.Layer): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return [v[0], v[0]];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0], v[1]];
  throw new Error(`layer '${layer.name}' (${layer.getClassName()}): ${what} ${JSON.stringify(v)} is not one or two integers`);
}

/** Refuses layers configured channels-first (the exporter assumes Keras' channelsLast). */
export function requireChannelsLast(config: Record<string, unknown>, layer: tf.layers.Layer): void {
  const df = config.dataFormat;
  if (df != null && df !== 'channelsLast') {
    throw new Error(`layer '${layer.name}' (${layer.getClassName()}): dataFormat '${String(df)}' is not supported (only channelsLast)`);
  }
}

/** A clear error for a layer configuration the exporter does not handle. */
export function unsupported(layer: tf.layers.Layer, what: string): Error {
  return new Error(`layer '${layer.name}' (${layer.getClassName()}): ${what} is not supported by the ONNX exporter`);
}

/** "layer 'name' (Class)" for error messages. */
export const where = (layer: tf.layers.Layer): string => `layer '${layer.name}' (${layer.getClassName()})`;
