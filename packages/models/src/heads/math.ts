import * as tf from '@tensorflow/tfjs';

/** x / sqrt(max(sum(x^2, axis), 1e-12)), exactly tf.math.l2_normalize. */
export function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), axis, true), 1e-12)));
}

/** cos θ [N, C] between rows of e [N, D] and columns of w [D, C] (both L2-normalised). */
export function cosine(e: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(l2Normalize(e, 1), l2Normalize(w, 0)) as tf.Tensor2D;
}

/** Mean softmax cross-entropy of logits [N, C] with int32 labels [N]. */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const oneHot = tf.oneHot(labels, logits.shape[1]);
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

/** Keras categorical_crossentropy on probabilities (renormalised, clipped to [1e-7, 1 - 1e-7]), mean over N. */
export function probCrossEntropy(probs: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const p = tf.clipByValue(tf.div(probs, tf.sum(probs, 1, true)), 1e-7, 1 - 1e-7);
  const oneHot = tf.oneHot(labels, probs.shape[1]);
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(p)), 1))) as tf.Scalar;
}

/** Replaces the target column of cos [N, C] by target(cos) and multiplies by s. */
export function applyToTarget(cos: tf.Tensor2D, labels: tf.Tensor1D, target: tf.Tensor2D, s: number): tf.Tensor2D {
  const mask = tf.cast(tf.oneHot(labels, cos.shape[1]), 'bool');
  return tf.mul(tf.where(mask, target, cos), s) as tf.Tensor2D;
}

/**
 * where(cond, a, b) for a 0/1 float mask `cond` computed by `tf.step` (differentiable as zero):
 * tfjs cannot back-propagate through comparison ops (Greater/Less have no gradient), so a
 * `tf.where(tf.greater(x, t), ...)` on the tape fails. m·a + (1 − m)·b is exact for m ∈ {0, 1}.
 */
export function select(mask: tf.Tensor, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.add(tf.mul(mask, a), tf.mul(tf.sub(1, mask), b));
}

/** 1 where x > threshold, else 0 (gradient zero). */
export function above(x: tf.Tensor, threshold: number): tf.Tensor {
  return tf.step(tf.sub(x, threshold));
}

/**
 * ArcFace's target logit cos(θ + m) where cos θ > cos(π − m), else cos θ − m·sin(m) (the
 * original FFEM angular_margin_layer.py / insightface arcface_torch losses.py ArcFace fallback,
 * keeping the logit monotonic in θ). sin θ = sqrt(max(1 − cos²θ, 1e-12)): never NaN, in value or
 * gradient (the unselected branch of `where` still back-propagates zeros through the sqrt).
 */
export function arcMarginTarget(cos: tf.Tensor2D, m: number): tf.Tensor2D {
  const sin = tf.sqrt(tf.maximum(tf.sub(1, tf.square(cos)), 1e-12));
  const cosMt = tf.sub(tf.mul(cos, Math.cos(m)), tf.mul(sin, Math.sin(m)));
  const fallback = tf.sub(cos, m * Math.sin(m));
  return select(above(cos, Math.cos(Math.PI - m)), cosMt, fallback) as tf.Tensor2D;
}
