"""GroupFace (Kim et al., CVPR 2020), as the original FFEM `GroupAwareLayer` / `GroupAwareModel`
(shi510/ffem, train/layers/group_aware_layer.py, train/custom_models/group_aware_model.py):

    FC(d)      = PReLU(BN(Dense(d)))                       (the original's `FC` block)
    instance   = FC(D)(shared)                             shared: the pooled feature [N, F]
    interm     = FC(256)(instance)                         group decision network
    probs      = softmax(FC(K)(interm))
    group_k    = Dense_k(D)(shared)                        one per group, k = 0..K-1
    final      = instance + sum_k probs[:, k] * group_k    (the embedding)
    group_lbl  = argmax((probs - mean_batch(probs)) / K + 1/K)   self-distributed labels
    group_loss = mean_i CE(onehot(group_lbl_i), probs_i)   Keras categorical_crossentropy on
                                                           probabilities (clip 1e-7)
    cls_loss   = ArcFace(final, W, labels)                 mean over the batch
    total      = cls_loss + 0.1 * group_loss

Deviation from the original: there the total is a per-example vector whose gradient TensorFlow
sums over the batch; here both terms are batch means (as for every other head). The GNAP that
the original runs inside the layer is our separate pooling, so the head's input is `shared`.
"""
import keras
import tensorflow as tf

from .arcface import arcface_loss, DEFAULT_MARGIN, DEFAULT_SCALE

DEFAULT_GROUP_LOSS_WEIGHT = 0.1
DEFAULT_INTERMEDIATE_DIM = 256


class FC(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = keras.layers.Dense(units, name='dense')
        self.bn = keras.layers.BatchNormalization(name='bn')
        self.prelu = keras.layers.PReLU(name='prelu')

    def build(self, input_shape):
        self.dense.build(input_shape)
        self.bn.build((input_shape[0], self.units))
        self.prelu.build((input_shape[0], self.units))
        self.built = True

    def call(self, x, training=False):
        return self.prelu(self.bn(self.dense(x), training=training))


class GroupFace(keras.layers.Layer):
    def __init__(self, embedding_dim, num_groups, intermediate_dim=DEFAULT_INTERMEDIATE_DIM, **kwargs):
        super().__init__(**kwargs)
        self.embedding_dim = embedding_dim
        self.num_groups = num_groups
        self.instance_fc = FC(embedding_dim, name='instance')
        self.decision_fc1 = FC(intermediate_dim, name='decision1')
        self.decision_fc2 = FC(num_groups, name='decision2')
        self.intermediate_dim = intermediate_dim
        self.group_fcs = [keras.layers.Dense(embedding_dim, name=f'group{k}') for k in range(num_groups)]

    def build(self, input_shape):
        n = input_shape[0]
        self.instance_fc.build(input_shape)
        self.decision_fc1.build((n, self.embedding_dim))
        self.decision_fc2.build((n, self.intermediate_dim))
        for fc in self.group_fcs:
            fc.build(input_shape)
        self.built = True

    def call(self, shared, training=False):
        instance = self.instance_fc(shared, training=training)
        interm = self.decision_fc1(instance, training=training)
        probs = tf.nn.softmax(self.decision_fc2(interm, training=training), axis=1)
        groups = tf.stack([fc(shared) for fc in self.group_fcs], axis=1)  # [N, K, D]
        final = instance + tf.reduce_sum(probs[:, :, None] * groups, axis=1)
        return final, probs


def self_distributed_group_labels(probs):
    k = tf.cast(tf.shape(probs)[1], probs.dtype)
    norm = (probs - tf.reduce_mean(probs, axis=0, keepdims=True)) / k + 1.0 / k
    return tf.argmax(norm, axis=1, output_type=tf.int32)


def group_loss(probs, group_labels):
    onehot = tf.one_hot(group_labels, tf.shape(probs)[1], dtype=probs.dtype)
    return tf.reduce_mean(keras.losses.categorical_crossentropy(onehot, probs))


def groupface_loss(layer, shared, kernel, labels, scale=DEFAULT_SCALE, margin=DEFAULT_MARGIN,
                   group_loss_weight=DEFAULT_GROUP_LOSS_WEIGHT, training=True):
    final, probs = layer(shared, training=training)
    cls, logits = arcface_loss(final, kernel, labels, scale, margin)
    glabels = self_distributed_group_labels(probs)
    grp = group_loss(probs, glabels)
    total = cls + group_loss_weight * grp
    return total, logits, {'classification': cls, 'group': grp, 'final': final, 'probs': probs,
                           'group_labels': glabels}
