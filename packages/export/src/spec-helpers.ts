/**
 * Helpers for this package's specs (not part of the public surface): random weights with
 * non-trivial batch-norm statistics, and running an export through onnxruntime.
 */
import * as tf from '@tensorflow/tfjs';
import { openSession } from '@ffem/ort';
import { expectClose, type Tolerance } from '@ffem/testing';
import { exportToOnnx, type ExportOptions } from './export-onnx';
import { decodeModel } from './onnx-graph';

/**
 * A layer registered only for the specs: the exporter has no converter for it, so exporting a
 * model that holds it must fail naming the layer and its class.
 */
export class Unconvertible extends tf.layers.Layer {
  static className = 'UnconvertibleTestLayer';
  override call(x: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.neg(Array.isArray(x) ? x[0] : x));
  }
}
tf.serialization.registerClass(Unconvertible);

/** The op types of an ONNX file's nodes, in order. */
export function opTypes(bytes: Uint8Array): string[] {
  return (decodeModel(bytes).graph?.node ?? []).map((n) => String(n.opType));
}

/** The metadata properties of an ONNX file. */
export function metadataOf(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(decodeModel(bytes).metadataProps.map((p) => [String(p.key), String(p.value)]));
}

/** fp32 parity between tfjs (cpu) and onnxruntime (cpu): different summation orders only. */
export const PARITY_TOL: Tolerance = { atol: 2e-5, rtol: 2e-4 };

/** Sets every weight of `model` to seeded random values (variances in [0.5, 1.5]). */
export function randomizeWeights(model: tf.LayersModel, seed = 7, scale = 0.5): void {
  let s = seed;
  for (const w of model.weights) {
    const name = w.originalName ?? w.name;
    const value = tf.tidy(() =>
      /moving_variance/.test(name)
        ? tf.randomUniform(w.shape as number[], 0.5, 1.5, 'float32', s++)
        : tf.randomNormal(w.shape as number[], /gamma/.test(name) ? 1 : 0, scale, 'float32', s++),
    );
    w.write(value);
    value.dispose();
  }
}

/** A seeded input in [0, 1). */
export function randomInput(shape: number[], seed = 3): tf.Tensor {
  return tf.randomUniform(shape, 0, 1, 'float32', seed);
}

/** Runs ONNX bytes on `x` (NHWC, transposed to NCHW when `nchw`); returns every output. */
export async function runOnnx(bytes: Uint8Array, x: tf.Tensor, nchw = false): Promise<Record<string, { data: Float32Array; dims: number[] }>> {
  const fed = nchw ? tf.transpose(x, [0, 3, 1, 2]) : x;
  const session = await openSession(bytes, { provider: 'cpu' });
  try {
    return await session.run(Float32Array.from(fed.dataSync() as Float32Array), fed.shape, 'input');
  } finally {
    if (fed !== x) fed.dispose();
    await session.release();
  }
}

/** Exports `model`, runs it on `x` and expects the tfjs output (shape and values). */
export async function expectParity(model: tf.LayersModel, x: tf.Tensor, opts: ExportOptions = {}, tol: Tolerance = PARITY_TOL): Promise<Uint8Array> {
  const bytes = exportToOnnx(model, opts);
  const out = await runOnnx(bytes, x, opts.nchw);
  const ref = model.predict(x) as tf.Tensor;
  expect(out.embedding.dims).toEqual(ref.shape);
  expectClose(out.embedding.data, ref.dataSync() as Float32Array, tol, model.name);
  ref.dispose();
  return bytes;
}

/** A functional model from one input shape and a function of the symbolic input. */
export function modelOf(shape: number[], body: (x: tf.SymbolicTensor) => tf.SymbolicTensor, name = 'm', seed = 7): tf.LayersModel {
  const input = tf.input({ shape, name: 'in' });
  const model = tf.model({ inputs: input, outputs: body(input), name });
  randomizeWeights(model, seed);
  return model;
}
