"""The reference implementations themselves: each checked against an independent float64 NumPy
transcription of its formula (or of the original FFEM code), and the committed fixtures checked
to be exactly what the generator writes today (so they cannot drift from ffem_ref/)."""
import importlib
import json
import math
import os

import numpy as np
import pytest
import tensorflow as tf

from conftest import REPO
from ffem_ref import fixture
from ffem_ref.arcface import arcface_loss
from ffem_ref.gnap import GNAP
from ffem_ref.groupface import self_distributed_group_labels
from ffem_ref.l2_softmax import l2_softmax_center_loss


def _l2n(x, axis):
    return x / np.sqrt(np.maximum((x * x).sum(axis=axis, keepdims=True), 1e-12))


def _ce(logits, labels):
    z = logits - logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(labels)), labels].mean()


def test_arcface_matches_the_formula():
    rng = np.random.default_rng(0)
    e, w = rng.normal(size=(7, 5)), rng.normal(size=(5, 4))
    labels = np.array([0, 1, 2, 3, 0, 1, 2])
    e[6] = -w[:, 2] * 2  # the fallback branch
    s, m = 60.0, 0.5
    cos = _l2n(e, 1) @ _l2n(w, 0)
    theta = np.arccos(np.clip(cos, -1, 1))
    target = np.where(cos > math.cos(math.pi - m), np.cos(theta + m), cos - m * math.sin(m))
    logits = s * np.where(np.eye(4)[labels] > 0, target, cos)
    loss, got = arcface_loss(tf.constant(e, tf.float32), tf.constant(w, tf.float32), tf.constant(labels), s, m)
    np.testing.assert_allclose(got.numpy(), logits, atol=2e-4)
    np.testing.assert_allclose(float(loss), _ce(logits, labels), rtol=1e-5)


def test_l2_softmax_and_center_loss_match_the_formula():
    rng = np.random.default_rng(1)
    e, w, b, c = rng.normal(size=(6, 5)), rng.normal(size=(5, 3)), rng.normal(size=3), rng.normal(size=(3, 5))
    labels = np.array([0, 1, 2, 2, 1, 0])
    logits = 30 * _l2n(e, 1) @ _l2n(w, 0) + b
    center = 30 * ((_l2n(e, 1) - _l2n(c, 1)[labels]) ** 2).sum(axis=1).mean()
    total, got, terms = l2_softmax_center_loss(*(tf.constant(v, tf.float32) for v in (e, w, b, c)), tf.constant(labels))
    np.testing.assert_allclose(got.numpy(), logits, atol=1e-4)
    np.testing.assert_allclose(float(terms['center']), center, rtol=1e-5)
    np.testing.assert_allclose(float(total), _ce(logits, labels) + 1e-3 * center, rtol=1e-5)


def test_gnap_batch_mean_is_the_original_layer():
    """mean_over='batch' is shi510/ffem NormAwarePoolingLayer.call, transcribed (inference mode)."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(3, 2, 4, 5)).astype(np.float32)
    x[0] *= 4
    layer = GNAP(mean_over='batch')
    layer.build(x.shape)
    for bn in (layer.bn_in, layer.bn_out):
        beta, mm, mv = (rng.normal(size=5), rng.normal(size=5), rng.uniform(0.5, 2, 5))
        for var, v in zip(bn.weights, (beta, mm, mv)):
            var.assign(v.astype(np.float32))
    p = [v.numpy().astype(np.float64) for v in layer.bn_in.weights]
    q = [v.numpy().astype(np.float64) for v in layer.bn_out.weights]
    y = (x - p[1]) / np.sqrt(p[2] + 1e-3) + p[0]
    norm = np.sqrt((y * y).sum(axis=3, keepdims=True))
    y = _l2n(y, 3) * norm.mean()
    y = y.mean(axis=(1, 2))
    y = (y - q[1]) / np.sqrt(q[2] + 1e-3) + q[0]
    np.testing.assert_allclose(layer(x, training=False).numpy(), y, atol=1e-5)
    per_image = GNAP(mean_over='image')
    per_image.build(x.shape)
    for src, dst in ((layer.bn_in, per_image.bn_in), (layer.bn_out, per_image.bn_out)):
        for a, b in zip(src.weights, dst.weights):
            b.assign(a)
    # One image alone: both means coincide; in a batch of different norms they differ.
    np.testing.assert_allclose(per_image(x[:1]).numpy(), layer(x[:1]).numpy(), atol=1e-5)
    assert np.abs(per_image(x).numpy() - layer(x).numpy()).max() > 1e-2


def test_self_distributed_group_labels():
    p = np.array([[0.7, 0.2, 0.1], [0.6, 0.3, 0.1], [0.5, 0.1, 0.4]], np.float32)
    norm = (p - p.mean(axis=0)) / 3 + 1 / 3
    assert list(self_distributed_group_labels(tf.constant(p)).numpy()) == list(norm.argmax(axis=1))


def _numbers(doc):
    """Flattens a fixture document into (path, value) pairs for comparison."""
    out = []

    def walk(x, path):
        if isinstance(x, dict):
            for k in sorted(x):
                walk(x[k], f'{path}/{k}')
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, f'{path}[{i}]')
        else:
            out.append((path, x))

    walk(doc, '')
    return out


FIXTURES = {
    'arc-face': 'packages/models/fixtures/keras/arc-face.json',
    'softmax-center': 'packages/models/fixtures/keras/softmax-center.json',
    'group-aware': 'packages/models/fixtures/keras/group-aware.json',
    'gnap': 'packages/models/fixtures/keras/gnap.json',
    'embedding-head': 'packages/models/fixtures/keras/embedding-head.json',
    'group-face': 'packages/models/fixtures/keras/group-face.json',
    'crop-and-resize': 'packages/data/fixtures/keras/crop-and-resize.json',
}


@pytest.mark.parametrize('name', list(FIXTURES))
def test_committed_fixture_is_what_the_generator_writes(tmp_path, monkeypatch, name):
    gen = importlib.import_module('gen_fixtures')
    assert set(gen.GENERATORS) == set(FIXTURES)
    monkeypatch.setattr(fixture, 'REPO_ROOT', str(tmp_path))
    gen.GENERATORS[name]()
    with open(os.path.join(REPO, FIXTURES[name])) as f:
        committed = json.load(f)
    with open(os.path.join(tmp_path, FIXTURES[name])) as f:
        fresh = json.load(f)
    assert committed['provenance']['generator'] == fresh['provenance']['generator']
    assert committed['tolerance'] == fresh['tolerance']
    a, b = _numbers(committed['data']), _numbers(fresh['data'])
    assert [p for p, _ in a] == [p for p, _ in b], f'{name}: the fixture layout changed; rerun gen_fixtures.py'
    tol = committed['tolerance']
    for (path, x), (_, y) in zip(a, b):
        if isinstance(x, float) and isinstance(y, float):
            assert abs(x - y) <= tol['atol'] / 10 + tol['rtol'] / 10 * abs(y), f'{name}{path}: committed {x}, fresh {y}'
        else:
            assert x == y, f'{name}{path}: committed {x!r}, fresh {y!r}'
