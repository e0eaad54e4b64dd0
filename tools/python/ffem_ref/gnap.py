"""GNAP: Global Norm-Aware Pooling (Chen et al., arXiv:1808.00435), as the original FFEM
`NormAwarePoolingLayer` (shi510/ffem, train/layers/norm_aware_pooling_layer.py):

    y    = BN_in(x)                       BatchNormalization(scale=False): beta, no gamma
    n    = ||y||_2 over channels           per position, [N, H, W, 1]
    mu   = mean(n)                         mean_over='batch': over N, H, W (the original)
                                           mean_over='image': over H, W per image (our default:
                                           an image's embedding does not depend on its batch)
    y    = l2norm(y, axis=channels) * mu
    out  = BN_out(GAP(y))                  BatchNormalization(scale=False)

Keras BatchNormalization defaults: epsilon 1e-3, momentum 0.99; training=True uses the batch's
statistics (biased variance), training=False the moving ones.
"""
import keras
import tensorflow as tf


class GNAP(keras.layers.Layer):
    def __init__(self, mean_over='image', **kwargs):
        super().__init__(**kwargs)
        if mean_over not in ('image', 'batch'):
            raise ValueError(f"GNAP: mean_over must be 'image' or 'batch', got {mean_over!r}")
        self.mean_over = mean_over
        self.bn_in = keras.layers.BatchNormalization(scale=False, name='bn_in')
        self.bn_out = keras.layers.BatchNormalization(scale=False, name='bn_out')

    def build(self, input_shape):
        self.bn_in.build(input_shape)
        self.bn_out.build((input_shape[0], input_shape[-1]))
        self.built = True

    def call(self, x, training=False):
        y = self.bn_in(x, training=training)
        norm = tf.norm(y, ord=2, axis=3, keepdims=True)
        axes = [0, 1, 2, 3] if self.mean_over == 'batch' else [1, 2, 3]
        mean = tf.reduce_mean(norm, axis=axes, keepdims=True)
        y = tf.math.l2_normalize(y, axis=3) * mean
        y = tf.reduce_mean(y, axis=[1, 2])
        return self.bn_out(y, training=training)

    def get_config(self):
        return {**super().get_config(), 'mean_over': self.mean_over}


def bn_weights(bn):
    """Named weights of a Keras BatchNormalization, in Keras' own order."""
    return {w.path.split('/')[-1]: w for w in bn.weights}
