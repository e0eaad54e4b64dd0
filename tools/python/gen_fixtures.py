"""Generates the committed numeric fixtures that the TypeScript unit tests (`*.keras.spec.ts`) read.

    tools/python/venv.sh                                   # once: the pinned environment
    $(tools/python/venv.sh)/bin/python tools/python/gen_fixtures.py [name ...]

Every fixture is computed by the reference implementations in ffem_ref/ (TensorFlow/Keras, float32,
oneDNN off) from seeded random inputs and weights; gradients come from tf.GradientTape. Layer
weights are keyed by the layer names @ffem/models gives them, in Keras/tfjs weight order
(Dense: kernel, bias; BatchNormalization: [gamma,] beta, moving_mean, moving_variance; PReLU: alpha).
For layers, gradients are those of L = sum(output * cotangent) with the cotangent in the fixture.
"""
import argparse
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ffem_ref  # noqa: F401  (sets TF_ENABLE_ONEDNN_OPTS before TensorFlow loads)
import numpy as np
import tensorflow as tf

from ffem_ref import fixture
from ffem_ref.arcface import arcface_logits, arcface_loss, softmax_cross_entropy
from ffem_ref.crop import normalised_box
from ffem_ref.embedding import EmbeddingHead
from ffem_ref.gnap import GNAP
from ffem_ref.groupface import GroupFace, group_loss, self_distributed_group_labels
from ffem_ref.l2_softmax import l2_softmax_center_loss

GENERATOR = 'tools/python/gen_fixtures.py'
MODELS = 'packages/models/fixtures/keras'
DATA = 'packages/data/fixtures/keras'
T = fixture.tensor


def f32(a):
    return np.asarray(a, dtype=np.float32)


def head_fixture(name, params, dims, embeddings, labels, variables, fn, extra_inputs=None):
    """Runs fn(inputs..., variables...) -> (loss, logits, terms) under a tape; writes the fixture."""
    inputs = {'embeddings': tf.constant(embeddings)}
    for k, v in (extra_inputs or {}).items():
        inputs[k] = tf.constant(v)
    tvars = {k: tf.Variable(v) for k, v in variables.items()}
    with tf.GradientTape(persistent=True) as tape:
        for x in inputs.values():
            tape.watch(x)
        loss, logits, terms = fn(inputs, tvars, tf.constant(labels, tf.int32))
    grads_in = {k: T(tape.gradient(loss, x)) for k, x in inputs.items()}
    grads_var = {k: T(tape.gradient(loss, v)) for k, v in tvars.items()}
    data = {
        'head': name,
        'params': params,
        'dims': dims,
        'inputs': {**{k: T(v) for k, v in inputs.items()}, 'labels': [int(v) for v in labels]},
        'variables': [{'name': k, **T(v)} for k, v in tvars.items()],
        'outputs': {'loss': fixture.scalar(loss), 'logits': T(logits),
                    'terms': {k: fixture.scalar(v) for k, v in terms.items()}},
        'grads': {'inputs': grads_in, 'variables': grads_var},
    }
    return data


def gen_arc_face():
    seed = 1001
    rng = np.random.default_rng(seed)
    n, d, c = 6, 8, 5
    kernel = f32(rng.normal(0, math.sqrt(2 / d), (d, c)))
    labels = np.array([0, 1, 2, 3, 4, 2])
    emb = f32(rng.normal(0, 1, (n, d)))
    # Example 5: almost opposite its class centre, so cos(theta) < cos(pi - m) takes the fallback branch.
    emb[5] = -kernel[:, labels[5]] * 3 + f32(rng.normal(0, 0.05, d))
    params = {'scale': 60.0, 'margin': 0.5}

    def fn(inp, var, lab):
        loss, logits = arcface_loss(inp['embeddings'], var['centers'], lab, params['scale'], params['margin'])
        return loss, logits, {'ce': loss}

    data = head_fixture('AngularMargin', params, {'numClasses': c, 'embeddingDim': d}, emb, labels,
                        {'centers': kernel}, fn)
    return fixture.write(f'{MODELS}/arc-face.json', f'{GENERATOR} arc-face', seed, {'atol': 2e-5, 'rtol': 1e-4}, data,
                         'ffem_ref/arcface.py; example 5 takes the cos(theta) - m*sin(m) branch')


def gen_softmax_center():
    seed = 1002
    rng = np.random.default_rng(seed)
    n, d, c = 6, 8, 5
    weights = f32(rng.normal(0, math.sqrt(2 / d), (d, c)))
    biases = f32(0.1 + rng.normal(0, 0.05, c))
    centers = f32(rng.normal(0, math.sqrt(2 / c), (c, d)))
    labels = np.array([4, 0, 1, 1, 3, 2])
    emb = f32(rng.normal(0, 1, (n, d)))
    params = {'scale': 30.0, 'centerLossWeight': 1e-3}

    def fn(inp, var, lab):
        total, logits, terms = l2_softmax_center_loss(inp['embeddings'], var['weights'], var['biases'], var['centers'], lab,
                                                      scale=params['scale'], center_scale=params['scale'],
                                                      center_weight=params['centerLossWeight'])
        return total, logits, {'ce': terms['softmax'], 'center': terms['center']}

    data = head_fixture('SoftmaxCenter', params, {'numClasses': c, 'embeddingDim': d}, emb, labels,
                        {'weights': weights, 'biases': biases, 'centers': centers}, fn)
    return fixture.write(f'{MODELS}/softmax-center.json', f'{GENERATOR} softmax-center', seed,
                         {'atol': 2e-5, 'rtol': 1e-4}, data, 'ffem_ref/l2_softmax.py (center scale = scale)')


def gen_group_aware():
    """The GroupAware head alone: outputs [final embedding, group probabilities] -> loss."""
    seed = 1003
    rng = np.random.default_rng(seed)
    n, d, c, k = 8, 8, 5, 4
    kernel = f32(rng.normal(0, math.sqrt(2 / d), (d, c)))
    labels = np.array([0, 1, 2, 3, 4, 0, 1, 2])
    emb = f32(rng.normal(0, 1, (n, d)))
    probs = f32(tf.nn.softmax(rng.normal(0, 1.5, (n, k)).astype(np.float32)).numpy())
    params = {'scale': 60.0, 'margin': 0.5, 'groupLossWeight': 0.1, 'numGroups': k}

    def fn(inp, var, lab):
        logits = arcface_logits(inp['embeddings'], var['centers'], lab, params['scale'], params['margin'])
        ce = softmax_cross_entropy(logits, lab)
        grp = group_loss(inp['probs'], self_distributed_group_labels(inp['probs']))
        return ce + params['groupLossWeight'] * grp, logits, {'ce': ce, 'group': grp}

    data = head_fixture('GroupAware', params, {'numClasses': c, 'embeddingDim': d}, emb, labels,
                        {'centers': kernel}, fn, extra_inputs={'probs': probs})
    data['groupLabels'] = [int(v) for v in self_distributed_group_labels(tf.constant(probs)).numpy()]
    return fixture.write(f'{MODELS}/group-aware.json', f'{GENERATOR} group-aware', seed, {'atol': 2e-5, 'rtol': 1e-4},
                         data, 'ffem_ref/groupface.py group_loss + ffem_ref/arcface.py')


def bn_values(rng, c, scale=True):
    """Non-trivial BatchNormalization weights: [gamma,] beta, moving_mean, moving_variance."""
    w = []
    if scale:
        w.append(f32(rng.uniform(0.5, 1.5, c)))
    w += [f32(rng.normal(0, 0.3, c)), f32(rng.normal(0, 0.3, c)), f32(rng.uniform(0.5, 2.0, c))]
    return w


def set_bn(bn, values):
    for var, v in zip(bn.weights, values):
        var.assign(v)


def layer_fixture(layer, x, trainable_by_name, training, cotangent):
    """Forward value and the gradients of sum(out * cotangent) wrt the input and the trainable weights."""
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        out = layer(xt, training=training)
        objective = tf.reduce_sum(out * cotangent)
    names = list(trainable_by_name.keys())
    flat = [v for n in names for v in trainable_by_name[n]]
    grads = tape.gradient(objective, [xt] + flat)
    gw, i = {}, 1
    for n in names:
        gw[n] = [T(g) for g in grads[i:i + len(trainable_by_name[n])]]
        i += len(trainable_by_name[n])
    return {'output': T(out), 'grads': {'input': T(grads[0]), 'weights': gw}}


def gen_gnap():
    seed = 1004
    rng = np.random.default_rng(seed)
    n, h, w, c = 3, 3, 4, 6
    x = f32(rng.normal(0.2, 1.0, (n, h, w, c)))
    x[1] *= 3.0  # images of different feature norms: 'image' and 'batch' means differ
    bn_in, bn_out = bn_values(rng, c, scale=False), bn_values(rng, c, scale=False)
    cot = f32(rng.normal(0, 1, (n, c)))
    cases = {}
    for mean in ('image', 'batch'):
        layer = GNAP(mean_over=mean)
        layer.build(x.shape)
        set_bn(layer.bn_in, bn_in)
        set_bn(layer.bn_out, bn_out)
        trainable = {'gnap_bn_in': [layer.bn_in.beta], 'gnap_bn_out': [layer.bn_out.beta]}
        for training in (False, True):
            cases[f'{mean}/{"train" if training else "infer"}'] = {
                'mean': mean, 'training': training,
                **layer_fixture(layer, x, trainable, training, cot)}
    data = {
        'input': T(x),
        'cotangent': T(cot),
        'weights': {'gnap_bn_in': [T(v) for v in bn_in], 'gnap_bn_out': [T(v) for v in bn_out]},
        'cases': cases,
    }
    return fixture.write(f'{MODELS}/gnap.json', f'{GENERATOR} gnap', seed, {'atol': 2e-5, 'rtol': 1e-4}, data,
                         'ffem_ref/gnap.py; cases "<mean>/<infer|train>"; weights [beta, moving_mean, moving_variance]')


def gen_embedding_head():
    """GNAP -> Dense(D) -> BatchNormalization on a feature map: the inference path of the heads."""
    seed = 1005
    rng = np.random.default_rng(seed)
    n, h, w, c, d = 3, 2, 3, 10, 6
    x = f32(rng.normal(0.0, 1.0, (n, h, w, c)))
    head = EmbeddingHead(embedding_dim=d, mean_over='image')
    head.build(x.shape)
    bn_in, bn_out, bn = bn_values(rng, c, False), bn_values(rng, c, False), bn_values(rng, d, True)
    kernel = f32(rng.normal(0, math.sqrt(1 / c), (c, d)))
    bias = f32(rng.normal(0, 0.1, d))
    set_bn(head.gnap.bn_in, bn_in)
    set_bn(head.gnap.bn_out, bn_out)
    head.dense.kernel.assign(kernel)
    head.dense.bias.assign(bias)
    set_bn(head.bn, bn)
    cot = f32(rng.normal(0, 1, (n, d)))
    trainable = {'gnap_bn_in': [head.gnap.bn_in.beta], 'gnap_bn_out': [head.gnap.bn_out.beta],
                 'embedding_dense': [head.dense.kernel, head.dense.bias], 'embedding': [head.bn.gamma, head.bn.beta]}
    cases = {('train' if t else 'infer'): layer_fixture(head, x, trainable, t, cot) for t in (False, True)}
    data = {
        'input': T(x), 'cotangent': T(cot), 'embeddingDim': d, 'gnapMean': 'image',
        'weights': {'gnap_bn_in': [T(v) for v in bn_in], 'gnap_bn_out': [T(v) for v in bn_out],
                    'embedding_dense': [T(kernel), T(bias)], 'embedding': [T(v) for v in bn]},
        'cases': cases,
    }
    return fixture.write(f'{MODELS}/embedding-head.json', f'{GENERATOR} embedding-head', seed,
                         {'atol': 2e-5, 'rtol': 1e-4}, data, 'ffem_ref/embedding.py; layer names as @ffem/models')


def gen_group_face():
    """The GroupFace layers on a pooled feature: shared [N, F] -> [final embedding, group probabilities]."""
    seed = 1006
    rng = np.random.default_rng(seed)
    n, f, d, k, inter = 8, 10, 6, 3, 5
    shared = f32(rng.normal(0, 1, (n, f)))
    layer = GroupFace(embedding_dim=d, num_groups=k, intermediate_dim=inter)
    layer.build(shared.shape)
    weights = {}

    def fill_fc(fc, prefix, fan_in):
        kernel, bias = f32(rng.normal(0, math.sqrt(1 / fan_in), (fan_in, fc.units))), f32(rng.normal(0, 0.1, fc.units))
        fc.dense.kernel.assign(kernel)
        fc.dense.bias.assign(bias)
        bn = bn_values(rng, fc.units, True)
        set_bn(fc.bn, bn)
        alpha = f32(rng.uniform(0.05, 0.3, fc.units))
        fc.prelu.alpha.assign(alpha)
        weights[f'{prefix}_dense'] = [T(kernel), T(bias)]
        weights[f'{prefix}_bn'] = [T(v) for v in bn]
        weights[f'{prefix}_prelu'] = [T(alpha)]

    fill_fc(layer.instance_fc, 'gf_instance', f)
    fill_fc(layer.decision_fc1, 'gf_decision1', d)
    fill_fc(layer.decision_fc2, 'gf_decision2', inter)
    for i, fc in enumerate(layer.group_fcs):
        kernel, bias = f32(rng.normal(0, math.sqrt(1 / f), (f, d))), f32(rng.normal(0, 0.1, d))
        fc.kernel.assign(kernel)
        fc.bias.assign(bias)
        weights[f'gf_group{i}_dense'] = [T(kernel), T(bias)]
    cot_e, cot_p = f32(rng.normal(0, 1, (n, d))), f32(rng.normal(0, 1, (n, k)))

    def trainable_of(fc, prefix):
        return {f'{prefix}_dense': [fc.dense.kernel, fc.dense.bias], f'{prefix}_bn': [fc.bn.gamma, fc.bn.beta],
                f'{prefix}_prelu': [fc.prelu.alpha]}

    trainable = {**trainable_of(layer.instance_fc, 'gf_instance'), **trainable_of(layer.decision_fc1, 'gf_decision1'),
                 **trainable_of(layer.decision_fc2, 'gf_decision2'),
                 **{f'gf_group{i}_dense': [fc.kernel, fc.bias] for i, fc in enumerate(layer.group_fcs)}}
    names = list(trainable.keys())
    cases = {}
    for training in (False, True):
        x = tf.constant(shared)
        with tf.GradientTape() as tape:
            tape.watch(x)
            final, probs = layer(x, training=training)
            objective = tf.reduce_sum(final * cot_e) + tf.reduce_sum(probs * cot_p)
        flat = [v for nm in names for v in trainable[nm]]
        grads = tape.gradient(objective, [x] + flat)
        gw, i = {}, 1
        for nm in names:
            gw[nm] = [T(g) for g in grads[i:i + len(trainable[nm])]]
            i += len(trainable[nm])
        cases['train' if training else 'infer'] = {
            'embedding': T(final), 'groupProbs': T(probs), 'grads': {'input': T(grads[0]), 'weights': gw}}
    data = {'input': T(shared), 'embeddingDim': d, 'numGroups': k, 'intermediateDim': inter,
            'cotangent': {'embedding': T(cot_e), 'groupProbs': T(cot_p)}, 'weights': weights, 'cases': cases}
    return fixture.write(f'{MODELS}/group-face.json', f'{GENERATOR} group-face', seed, {'atol': 2e-5, 'rtol': 1e-4},
                         data, 'ffem_ref/groupface.py; objective sum(embedding*cot.embedding)+sum(groupProbs*cot.groupProbs)')


def gen_crop_and_resize():
    seed = 1007
    rng = np.random.default_rng(seed)
    h, w = 7, 9
    image = rng.integers(0, 256, (h, w, 3)).astype(np.uint8)
    # Pixel boxes (x1, y1, x2, y2) as in a face record; the last ones reach outside the image.
    boxes = [
        {'box': [1, 1, 7, 6], 'out': [5, 4]},
        {'box': [0, 0, 9, 7], 'out': [7, 9]},
        {'box': [2, 3, 5, 4], 'out': [6, 6]},
        {'box': [3, 2, 6, 5], 'out': [1, 1]},
        {'box': [6, 5, 2, 1], 'out': [4, 4]},      # x1 > x2, y1 > y2: flipped crop
        {'box': [-3, -2, 5, 4], 'out': [5, 5]},    # starts left of and above the image
        {'box': [4, 3, 14, 11], 'out': [6, 5]},    # ends right of and below the image
        {'box': [-4, -4, 13, 11], 'out': [8, 8]},  # contains the whole image
        {'box': [10, 8, 14, 12], 'out': [3, 3]},   # entirely outside
    ]
    cases = []
    for b in boxes:
        nb = f32(normalised_box(b['box'], h, w))
        oh, ow = b['out']
        out = tf.image.crop_and_resize(tf.constant(image[None]), nb[None], [0], [oh, ow]).numpy()[0]
        cases.append({'pixelBox': dict(zip(['x1', 'y1', 'x2', 'y2'], b['box'])),
                      'box': dict(zip(['y1', 'x1', 'y2', 'x2'], [float(v) for v in nb])),
                      'outH': oh, 'outW': ow, 'output': T(out)})
    data = {'image': {'height': h, 'width': w, 'channels': 3, 'values': [int(v) for v in image.reshape(-1)]},
            'cases': cases}
    return fixture.write(f'{DATA}/crop-and-resize.json', f'{GENERATOR} crop-and-resize', seed,
                         {'atol': 0.0, 'rtol': 0.0}, data,
                         'tf.image.crop_and_resize(uint8 image, box / [H, W, H, W], bilinear, extrapolation 0); '
                         'output in pixel units (not divided by 255); tolerance 0: @ffem/data follows the kernel in float32')


GENERATORS = {
    'arc-face': gen_arc_face,
    'softmax-center': gen_softmax_center,
    'group-aware': gen_group_aware,
    'gnap': gen_gnap,
    'embedding-head': gen_embedding_head,
    'group-face': gen_group_face,
    'crop-and-resize': gen_crop_and_resize,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('names', nargs='*', choices=[[]] + list(GENERATORS), help='fixtures to write (default: all)')
    args = ap.parse_args()
    tf.config.experimental.enable_op_determinism()
    for name in args.names or GENERATORS:
        print(GENERATORS[name]())


if __name__ == '__main__':
    main()
