"""ArcFace: Additive Angular Margin Loss for Deep Face Recognition (Deng et al., CVPR 2019).

Matches the original FFEM `AngularMarginLayer` (shi510/ffem, train/layers/angular_margin_layer.py,
itself after peteryuX/arcface-tf2) and `AngularMarginModel.train_step` (softmax cross-entropy,
mean over the batch):

    cos  = l2norm(x, axis=1) @ l2norm(W, axis=0)           W: [D, C]
    sin  = sqrt(max(1 - cos^2, 0))                          (clamped; the original has no clamp)
    phi  = cos*cos(m) - sin*sin(m)      where cos > cos(pi - m)
         = cos - m*sin(m)               otherwise           (keeps the target logit monotonic)
    logits = s * (onehot ? phi : cos)
    loss   = mean_i CE(onehot_i, softmax(logits_i))
"""
import math

import tensorflow as tf

DEFAULT_SCALE = 60.0
DEFAULT_MARGIN = 0.5


def l2_normalize(x, axis):
    """tf.math.l2_normalize: x / sqrt(max(sum(x^2), 1e-12))."""
    return tf.math.l2_normalize(x, axis=axis)


def cosines(embeddings, kernel):
    """[N, D] x [D, C] -> [N, C] cosine of the angle between each embedding and class weight."""
    return tf.matmul(l2_normalize(embeddings, 1), l2_normalize(kernel, 0))


def arcface_logits(embeddings, kernel, labels, scale=DEFAULT_SCALE, margin=DEFAULT_MARGIN):
    cos_t = cosines(embeddings, kernel)
    sin_t = tf.sqrt(tf.maximum(1.0 - cos_t * cos_t, 0.0))
    cos_mt = cos_t * math.cos(margin) - sin_t * math.sin(margin)
    cos_mt = tf.where(cos_t > math.cos(math.pi - margin), cos_mt, cos_t - margin * math.sin(margin))
    onehot = tf.one_hot(labels, tf.shape(kernel)[1], dtype=tf.float32)
    return scale * tf.where(onehot > 0.5, cos_mt, cos_t)


def softmax_cross_entropy(logits, labels):
    """Mean over the batch of -log softmax(logits)[label]."""
    onehot = tf.one_hot(labels, tf.shape(logits)[1], dtype=logits.dtype)
    return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(onehot, logits))


def arcface_loss(embeddings, kernel, labels, scale=DEFAULT_SCALE, margin=DEFAULT_MARGIN):
    logits = arcface_logits(embeddings, kernel, labels, scale, margin)
    return softmax_cross_entropy(logits, labels), logits
