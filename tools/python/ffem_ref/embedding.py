"""The embedding head of the original FFEM models (shi510/ffem, train/custom_models/
angular_margin_model.py `get_inference_model`): backbone features -> GNAP -> Dense(D) ->
BatchNormalization (centre and scale). Its output is the (not normalised) embedding.
"""
import keras

from .gnap import GNAP


class EmbeddingHead(keras.layers.Layer):
    def __init__(self, embedding_dim=512, mean_over='image', **kwargs):
        super().__init__(**kwargs)
        self.embedding_dim = embedding_dim
        self.gnap = GNAP(mean_over=mean_over, name='gnap')
        self.dense = keras.layers.Dense(embedding_dim, name='dense')
        self.bn = keras.layers.BatchNormalization(name='bn')

    def build(self, input_shape):
        self.gnap.build(input_shape)
        self.dense.build((input_shape[0], input_shape[-1]))
        self.bn.build((input_shape[0], self.embedding_dim))
        self.built = True

    def call(self, x, training=False):
        return self.bn(self.dense(self.gnap(x, training=training)), training=training)
