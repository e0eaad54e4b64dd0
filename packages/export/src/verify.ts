import * as tf from '@tensorflow/tfjs';
import { openSession } from '@ffem/ort';
import { decodeModel } from './onnx-graph';

/** The pass marks of `--verify` (issue 7): fp32 exports must meet both. */
export const VERIFY_THRESHOLDS = { minCosine: 0.99999, maxRelDiff: 1e-4 };

export interface VerifyResult {
  /** max |onnx - tfjs| over every output value. */
  maxAbsDiff: number;
  /** maxAbsDiff / max |tfjs|. */
  relMaxDiff: number;
  /** Smallest cosine similarity between an ONNX and a tfjs output row. */
  minCosine: number;
  /** minCosine >= thresholds.minCosine and relMaxDiff <= thresholds.maxRelDiff. */
  ok: boolean;
  /** Rows compared. */
  samples: number;
}

export interface VerifyOptions {
  thresholds?: { minCosine: number; maxRelDiff: number };
  /** Random batch size when no inputs are given (default 4). */
  randomBatch?: number;
  seed?: number;
}

function inputLayout(bytes: Uint8Array): 'NHWC' | 'NCHW' {
  const m = decodeModel(bytes);
  const v = m.metadataProps.find((p) => p.key === 'input_layout')?.value;
  return v === 'NCHW' ? 'NCHW' : 'NHWC';
}

/** Adds one batch's comparison into the running result. */
function compare(acc: { maxAbs: number; maxRef: number; minCos: number; rows: number }, got: Float32Array, ref: Float32Array, rows: number): void {
  if (got.length !== ref.length) throw new Error(`verify: onnx output has ${got.length} values, tfjs ${ref.length}`);
  const d = ref.length / rows;
  for (let r = 0; r < rows; r++) {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let i = r * d; i < (r + 1) * d; i++) {
      const a = got[i];
      const b = ref[i];
      acc.maxAbs = Math.max(acc.maxAbs, Number.isNaN(a - b) ? Infinity : Math.abs(a - b));
      acc.maxRef = Math.max(acc.maxRef, Math.abs(b));
      dot += a * b;
      na += a * a;
      nb += b * b;
    }
    // Two all-zero rows agree; one all-zero row against a non-zero one does not.
    const cos = na === 0 && nb === 0 ? 1 : dot / Math.sqrt(na * nb || 1);
    acc.minCos = Math.min(acc.minCos, Number.isNaN(cos) ? -1 : cos);
  }
  acc.rows += rows;
}

/**
 * Runs `onnxBytes` with onnxruntime (CPU) and `model` with tfjs on the same NHWC batches and
 * compares the first outputs. Without `inputs`, one seeded random batch in [0, 1).
 */
export async function verifyOnnx(
  model: tf.LayersModel,
  onnxBytes: Uint8Array,
  inputs?: tf.Tensor | tf.Tensor[],
  opts: VerifyOptions = {},
): Promise<VerifyResult> {
  const thresholds = opts.thresholds ?? VERIFY_THRESHOLDS;
  const shape = model.inputs[0].shape;
  let batches: tf.Tensor[];
  let own = false;
  if (inputs === undefined) {
    if (shape.slice(1).some((d) => d == null)) throw new Error(`verify: model input [${shape}] has unknown sizes; pass inputs`);
    batches = [tf.randomUniform([opts.randomBatch ?? 4, ...(shape.slice(1) as number[])], 0, 1, 'float32', opts.seed ?? 1)];
    own = true;
  } else {
    batches = Array.isArray(inputs) ? inputs : [inputs];
  }
  const nchw = inputLayout(onnxBytes) === 'NCHW';
  const session = await openSession(onnxBytes, { provider: 'cpu' });
  const acc = { maxAbs: 0, maxRef: 0, minCos: 1, rows: 0 };
  try {
    for (const x of batches) {
      const y = model.predict(x);
      const ref = Float32Array.from((Array.isArray(y) ? y[0] : y).dataSync() as Float32Array);
      tf.dispose(y);
      const fed = nchw ? tf.tidy(() => x.transpose(x.rank === 4 ? [0, 3, 1, 2] : undefined)) : x;
      const data = Float32Array.from(fed.dataSync() as Float32Array);
      const out = await session.run(data, fed.shape, session.inputNames[0]);
      if (fed !== x) fed.dispose();
      compare(acc, out[session.outputNames[0]].data, ref, x.shape[0]);
    }
  } finally {
    await session.release();
    if (own) batches.forEach((b) => b.dispose());
  }
  const relMaxDiff = acc.maxRef > 0 ? acc.maxAbs / acc.maxRef : acc.maxAbs;
  return {
    maxAbsDiff: acc.maxAbs,
    relMaxDiff,
    minCosine: acc.minCos,
    ok: acc.minCos >= thresholds.minCosine && relMaxDiff <= thresholds.maxRelDiff,
    samples: acc.rows,
  };
}
