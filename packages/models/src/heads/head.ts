import * as tf from '@tensorflow/tfjs';

/** A training head: train-model outputs + labels -> logits and loss. Strategies behind one interface. */
export interface Head {
  readonly name: string;
  /** Trainable, with stable unique names `<HeadName>/<var>` (saved in checkpoints). */
  readonly variables: tf.Variable[];
  /**
   * outputs: the train model's outputs ([embedding] or [embedding, groupProbs]); labels int32 [N].
   * loss = the scalar to minimise (mean over the batch); logits [N, numClasses] as fed to the
   * softmax (margins and scale applied); terms = the unweighted parts (ce, center, group).
   */
  compute(outputs: tf.Tensor[], labels: tf.Tensor1D): { loss: tf.Scalar; logits: tf.Tensor2D; terms: Record<string, tf.Scalar> };
  getConfig(): Record<string, unknown>;
  /** Frees the variables (and their names, so a head of the same kind can be created again). */
  dispose(): void;
}

export interface HeadDims {
  numClasses: number;
  embeddingDim: number;
  /** Initialiser seed (each variable gets seed + its index). */
  seed?: number;
}

export type HeadFactory = (params: Record<string, unknown>, dims: HeadDims) => Head;

/**
 * Resolves a head's numeric parameters against its defaults: an unknown key or a non-finite
 * number throws an Error naming the head and the key.
 */
export function resolveParams<P extends Record<string, number>>(head: string, params: Record<string, unknown>, defaults: P): P {
  const out: Record<string, number> = { ...defaults };
  for (const [k, v] of Object.entries(params)) {
    if (!(k in defaults)) {
      throw new Error(`head ${head}: unknown parameter '${k}' (known: ${Object.keys(defaults).join(', ')})`);
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`head ${head}: parameter '${k}': expected a finite number, got ${JSON.stringify(v)}`);
    }
    out[k] = v;
  }
  return out as P;
}

export function checkDims(head: string, dims: HeadDims): void {
  for (const k of ['numClasses', 'embeddingDim'] as const) {
    if (!Number.isInteger(dims[k]) || dims[k] <= 0) throw new Error(`head ${head}: ${k}: expected a positive integer, got ${dims[k]}`);
  }
}

/** Creates a named trainable variable; a name still held by an undisposed head is an Error saying so. */
export function headVariable(head: string, varName: string, init: tf.Tensor): tf.Variable {
  const name = `${head}/${varName}`;
  try {
    return tf.variable(init, true, name);
  } catch (e) {
    throw new Error(`head ${head}: variable '${name}' already exists (dispose() the previous ${head} head first): ${(e as Error).message}`);
  } finally {
    init.dispose();
  }
}

/** He-normal (Keras HeNormal: truncated normal, stddev sqrt(2 / fan_in), fan_in = shape[0]). */
export function heNormal(shape: number[], seed: number | undefined): tf.Tensor {
  return tf.initializers.heNormal({ seed }).apply(shape);
}

export function embeddingOf(head: string, outputs: tf.Tensor[], dim: number): tf.Tensor2D {
  const e = outputs[0];
  if (!e || e.rank !== 2 || e.shape[1] !== dim) {
    throw new Error(`head ${head}: outputs[0]: expected an embedding [N, ${dim}], got ${e ? `[${e.shape.join(', ')}]` : 'nothing'}`);
  }
  return e as tf.Tensor2D;
}
