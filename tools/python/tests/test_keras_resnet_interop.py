"""A Keras ResNet50V2 (keras.applications, weights=None, seeded) + GNAP + embedding head and our
@ffem/models resnet50v2 model carrying the same weights (through ffem_ref/carry.py and
tools/python/ts/import-keras-weights.ts, saved and reloaded in our model format) give the same
embeddings; and `ffem export` of that model run in Python onnxruntime gives them too (the way
back: a Keras model through our format to ONNX).

Tolerance: the max abs difference is reported and must stay within 1e-4 of the embedding's
scale (max |e|, about 5 here). An absolute 1e-4 is not reachable in float32 at this depth: Keras
float32 itself differs from the same model in float64 by about 2e-4 (BatchNorms calibrated on 8
images amplify round-off). So the test also requires our embeddings to be as close to the float64
answer as Keras float32 is (within 2x): round-off, not a real difference.
"""
import json

import numpy as np

from conftest import ffem, last_json_line, run_ts
from ffem_ref.carry import write_weights_dir
from ffem_ref.resnet import batch_norms, build_resnet50v2_embedding, calibrate_batch_norms, ffem_layer_weights, float64_twin

TOLERANCE = 1e-4


def test_keras_resnet50v2_and_ours_give_the_same_embeddings(tmp_path):
    shape, dim = (112, 112, 3), 512
    model, trunk, head = build_resnet50v2_embedding(shape, dim, seed=2024)
    rng = np.random.default_rng(2024)
    calibration = rng.uniform(0, 1, (8, *shape)).astype(np.float32)
    bns = batch_norms(trunk, head)
    before = bns[10].moving_variance.numpy().copy()
    calibrate_batch_norms(model, bns, calibration)
    assert not np.allclose(before, bns[10].moving_variance.numpy())
    images = np.concatenate([calibration[:1], rng.uniform(0, 1, (1, *shape)).astype(np.float32)])
    expected = model(images, training=False).numpy()
    exact = float64_twin(trunk, head, shape, dim)(images.astype(np.float64), training=False).numpy()

    weights = ffem_layer_weights(trunk, head)
    write_weights_dir(tmp_path / 'weights', weights)
    cfg = tmp_path / 'config.json'
    cfg.write_text(json.dumps({'backbone': 'resnet50v2', 'inputShape': list(shape), 'embeddingDim': dim,
                               'pooling': 'gnap', 'gnapMean': 'image', 'seed': 1}))
    (tmp_path / 'images.bin').write_bytes(images.astype('<f4').tobytes())
    out = last_json_line(run_ts('import-keras-weights.ts', tmp_path / 'weights', cfg, tmp_path / 'model',
                                tmp_path / 'images.bin', len(images), timeout=600))
    assert out['layers'] == len(weights) and out['embeddingShape'] == [len(images), dim]
    got = np.frombuffer((tmp_path / 'embeddings.bin').read_bytes(), '<f4').reshape(len(images), dim)
    diff = float(np.abs(got - expected).max())
    scale = float(np.abs(expected).max())
    keras_err, our_err = float(np.abs(expected - exact).max()), float(np.abs(got - exact).max())
    print(f'ResNet50V2+GNAP+embedding, Keras vs @ffem/models: max abs diff {diff:.3g} (max |e| {scale:.3g}; '
          f'vs float64: Keras {keras_err:.3g}, ours {our_err:.3g}; {out["weights"]} weight arrays carried)')
    assert np.isfinite(expected).all() and scale > 0.1
    assert diff <= TOLERANCE * scale, f'max abs diff {diff} > {TOLERANCE} x {scale}'
    assert our_err <= 2 * keras_err + 1e-6, f'ours is {our_err} from float64, Keras float32 {keras_err}'

    # Keras -> our format -> `ffem export` -> onnxruntime gives the Keras embeddings as well.
    import onnxruntime as ort
    onnx_file = tmp_path / 'resnet50v2.onnx'
    ffem('export', '--model', tmp_path / 'model', '--output', onnx_file, '--backend', 'cpu', timeout=600)
    sess = ort.InferenceSession(str(onnx_file), providers=['CPUExecutionProvider'])
    from_onnx = sess.run(['embedding'], {'input': images})[0]
    onnx_diff = float(np.abs(from_onnx - expected).max())
    print(f'... and through ffem export + onnxruntime: max abs diff {onnx_diff:.3g} vs Keras, '
          f'{float(np.abs(from_onnx - exact).max()):.3g} vs float64')
    assert onnx_diff <= TOLERANCE * scale, f'onnx max abs diff {onnx_diff} > {TOLERANCE} x {scale}'
