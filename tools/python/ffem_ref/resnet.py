"""The Keras side of the backbone cross-check: keras.applications.ResNet50V2 (weights=None,
seeded) + GNAP + the embedding head, laid out as @ffem/models lays out its inference model:

    input [0, 1] -> Rescaling(2, -1) 'normalise' -> ResNet50V2 trunk (include_top=False)
      -> GNAP (mean per image) -> Dense(D) 'embedding_dense' -> BatchNormalization 'embedding'

`calibrate_batch_norms` sets every BatchNorm's moving statistics to those of a calibration batch
(one training-mode pass with momentum 0), so that inference-mode activations stay near unit scale
through 50 randomly initialised layers and the comparison exercises real BatchNorm arithmetic.
"""
import keras
import numpy as np

from .embedding import EmbeddingHead


def build_resnet50v2_embedding(input_shape=(112, 112, 3), embedding_dim=512, seed=0):
    keras.utils.set_random_seed(seed)
    inp = keras.Input(input_shape, name='input')
    x = keras.layers.Rescaling(2.0, offset=-1.0, name='normalise')(inp)
    trunk = keras.applications.ResNet50V2(include_top=False, weights=None, input_shape=input_shape, pooling=None)
    head = EmbeddingHead(embedding_dim=embedding_dim, mean_over='image', name='embedding_head')
    return keras.Model(inp, head(trunk(x)), name='resnet50v2_embedding'), trunk, head


def batch_norms(trunk, head):
    """Every BatchNormalization of the model: the trunk's, GNAP's two and the embedding's."""
    return [l for l in trunk.layers if isinstance(l, keras.layers.BatchNormalization)] + [
        head.gnap.bn_in, head.gnap.bn_out, head.bn]


def calibrate_batch_norms(model, bns, x):
    saved = [bn.momentum for bn in bns]
    for bn in bns:
        bn.momentum = 0.0
    model(x, training=True)
    for bn, m in zip(bns, saved):
        bn.momentum = m
    return len(bns)


def ffem_layer_weights(trunk, head):
    """{@ffem/models layer name: [arrays in tfjs weight order]} for every layer with weights."""
    out = {}
    for layer in trunk.layers:
        if layer.weights:
            out[layer.name] = [np.asarray(w.numpy(), np.float32) for w in layer.weights]
    out['gnap_bn_in'] = [np.asarray(w.numpy(), np.float32) for w in head.gnap.bn_in.weights]
    out['gnap_bn_out'] = [np.asarray(w.numpy(), np.float32) for w in head.gnap.bn_out.weights]
    out['embedding_dense'] = [np.asarray(w.numpy(), np.float32) for w in head.dense.weights]
    out['embedding'] = [np.asarray(w.numpy(), np.float32) for w in head.bn.weights]
    return out


def float64_twin(trunk, head, input_shape, embedding_dim):
    """The same model in float64 with the same (float32) weights: exact arithmetic's answer, to
    tell float32 round-off (which Keras shows too) from a real difference."""
    prev = keras.config.dtype_policy()
    keras.config.set_dtype_policy('float64')
    try:
        model64, trunk64, head64 = build_resnet50v2_embedding(input_shape, embedding_dim, seed=0)
    finally:
        keras.config.set_dtype_policy(prev)
    for src, dst in ((trunk, trunk64), (head, head64)):
        assert len(src.weights) == len(dst.weights)
        for a, b in zip(src.weights, dst.weights):
            b.assign(np.asarray(a.numpy(), np.float64))
    return model64
