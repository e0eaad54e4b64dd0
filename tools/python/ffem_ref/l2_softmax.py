"""L2-constrained softmax (Ranjan et al., arXiv:1703.09507) and center loss (Wen et al., ECCV 2016),
as combined by the original FFEM `SoftmaxCenterModel` (shi510/ffem,
train/layers/l2_softmax_layer.py, train/layers/center_margin_layer.py,
train/custom_models/softmax_center_model.py, `pairwise_distance` in train/utils.py):

    logits = (s * l2norm(x, axis=1)) @ l2norm(W, axis=0) + b      W: [D, C], b: [C] (init 0.1)
    softmax_loss = mean_i CE(onehot_i, softmax(logits_i))
    center_i = s_c * max(|xn_i|^2 - 2 xn_i.cn_y + |cn_y|^2, 0)     xn = l2norm(x), cn = l2norm(centers)
    center_loss = mean_i center_i                                  centers: [C, D]
    total = softmax_loss + w_c * center_loss                       (s = s_c = 30, w_c = 1e-3)
"""
import tensorflow as tf

from .arcface import l2_normalize, softmax_cross_entropy

DEFAULT_SCALE = 30.0
DEFAULT_CENTER_SCALE = 30.0
DEFAULT_CENTER_WEIGHT = 1e-3


def l2_softmax_logits(embeddings, kernel, bias, scale=DEFAULT_SCALE):
    return tf.matmul(l2_normalize(embeddings, 1) * scale, l2_normalize(kernel, 0)) + bias


def pairwise_squared_distance(a, b):
    """(a-b)^2 = a^2 - 2ab + b^2, clamped at 0, as the original's `pairwise_distance`."""
    ra = tf.reshape(tf.reduce_sum(tf.square(a), axis=1), [-1, 1])
    rb = tf.reshape(tf.reduce_sum(tf.square(b), axis=1), [1, -1])
    return tf.maximum(ra - 2.0 * tf.matmul(a, b, transpose_b=True) + rb, 0.0)


def center_loss(embeddings, centers, labels, scale=DEFAULT_CENTER_SCALE):
    """Mean over the batch of the scaled squared distance to the (normalised) own-class centre."""
    dist = pairwise_squared_distance(l2_normalize(embeddings, 1), l2_normalize(centers, 1)) * scale
    onehot = tf.one_hot(labels, tf.shape(centers)[0], dtype=tf.float32)
    return tf.reduce_mean(tf.reduce_sum(dist * onehot, axis=1))


def l2_softmax_center_loss(embeddings, kernel, bias, centers, labels, scale=DEFAULT_SCALE,
                           center_scale=DEFAULT_CENTER_SCALE, center_weight=DEFAULT_CENTER_WEIGHT):
    logits = l2_softmax_logits(embeddings, kernel, bias, scale)
    softmax = softmax_cross_entropy(logits, labels)
    center = center_loss(embeddings, centers, labels, center_scale)
    return softmax + center_weight * center, logits, {'softmax': softmax, 'center': center}
