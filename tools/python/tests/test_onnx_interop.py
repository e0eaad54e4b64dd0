"""ONNX files exported by @ffem/export pass `onnx.checker.check_model(full_check=True)` and give
in Python onnxruntime the embeddings our tfjs model gives. tools/python/ts/onnx-reference.ts
builds, saves and exports a small model (through `exportModelDir`, what `ffem export` runs) and
dumps the tfjs embeddings; the `ffem export` CLI is run on the same saved model with its flags."""
import json

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from conftest import ffem, run_ts

# @ffem/export VERIFY_THRESHOLDS: fp32 exports must reach cosine >= 0.99999 and rel diff <= 1e-4.
MIN_COSINE = 0.99999
MAX_REL_DIFF = 1e-4


def check_against_reference(onnx_file, ref, nchw=False):
    model = onnx.load(str(onnx_file))
    onnx.checker.check_model(model, full_check=True)
    assert [i.name for i in model.graph.input] == ['input']
    assert [o.name for o in model.graph.output] == ['embedding']
    x = np.asarray(ref['input'], np.float32).reshape(ref['inputShape'])
    if nchw:
        x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    expected = np.asarray(ref['embedding']['values'], np.float32).reshape(ref['embedding']['shape'])
    sess = ort.InferenceSession(str(onnx_file), providers=['CPUExecutionProvider'])
    got = sess.run(['embedding'], {'input': x})[0]
    assert got.shape == expected.shape
    diff = np.abs(got - expected).max()
    rel = diff / np.abs(expected).max()
    cos = (got * expected).sum(1) / (np.linalg.norm(got, axis=1) * np.linalg.norm(expected, axis=1))
    assert rel <= MAX_REL_DIFF and cos.min() >= MIN_COSINE, f'max abs diff {diff}, rel {rel}, min cosine {cos.min()}'
    one = sess.run(['embedding'], {'input': x[1:2]})[0]  # dynamic batch: one image alone
    np.testing.assert_allclose(one[0], got[1], atol=1e-5 * np.abs(got).max())
    return diff, rel, cos.min()


@pytest.fixture(scope='module')
def saved_model(tmp_path_factory):
    d = tmp_path_factory.mktemp('onnx-ref')
    run_ts('onnx-reference.ts', d, 'GroupAware', 'gnap')
    return d, json.loads((d / 'reference.json').read_text())


@pytest.mark.parametrize('flags', [[], ['--fold-bn'], ['--nchw'], ['--opset', '13']], ids=lambda f: ' '.join(f) or 'default')
def test_ffem_export_cli_output_is_valid_and_matches_tfjs(tmp_path, saved_model, flags):
    d, ref = saved_model
    out = tmp_path / 'cli.onnx'
    ffem('export', '--model', d / 'model', '--output', out, '--backend', 'cpu', *flags)
    diff, rel, cos = check_against_reference(out, ref, nchw='--nchw' in flags)
    if '--opset' in flags:
        assert onnx.load(str(out)).opset_import[0].version == 13
    print(f'ffem export {" ".join(flags)}: max abs diff {diff:.3g}, rel {rel:.3g}, min cosine {cos:.8f}')


@pytest.mark.parametrize('head,pooling', [('AngularMargin', 'gnap'), ('GroupAware', 'gnap'), ('AngularMargin', 'gap')])
def test_exported_onnx_is_valid_and_matches_tfjs(tmp_path, head, pooling):
    run_ts('onnx-reference.ts', tmp_path, head, pooling)
    ref = json.loads((tmp_path / 'reference.json').read_text())
    diff, rel, cos = check_against_reference(tmp_path / 'model.onnx', ref)
    print(f'{head}/{pooling}: max abs diff {diff:.3g}, rel {rel:.3g}, min cosine {cos:.8f}')
