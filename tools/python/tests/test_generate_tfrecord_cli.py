"""`ffem generate-tfrecord` output read by `tf.data` with the original FFEM parse spec: every
image-list entry is a record, in list order, with the image file's bytes unchanged and the same
label and box (original: shi510/ffem generate_tfrecord/main.py + train/input_pipeline.py)."""
import json

import numpy as np
import pytest
import tensorflow as tf

from conftest import ffem
from test_tfrecord_interop import COMPRESSION, ORIGINAL_PARSE_SPEC


@pytest.mark.parametrize('compression', ['none', 'gzip'])
def test_generate_tfrecord_output_reads_in_tf_data(tmp_path, compression):
    rng = np.random.default_rng(21)
    root = tmp_path / 'images'
    image_list = {}
    for i in range(10):
        h, w = int(rng.integers(20, 70)), int(rng.integers(20, 70))
        rel = f'person{i % 4}/img{i:02d}.jpg'
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(tf.io.encode_jpeg(rng.integers(0, 256, (h, w, 3)).astype(np.uint8)).numpy())
        image_list[rel] = {'label': i % 4, 'x1': int(rng.integers(0, w // 3)), 'y1': int(rng.integers(0, h // 3)),
                           'x2': int(rng.integers(w // 2, w)), 'y2': int(rng.integers(h // 2, h))}
    lst = tmp_path / 'image_list.json'
    lst.write_text(json.dumps(image_list))
    suffix, tf_compression = COMPRESSION[compression]
    out = tmp_path / f'faces{suffix}'
    ffem('generate-tfrecord', '--root_path', root, '--json_file', lst, '--output', out)

    recs = list(tf.data.TFRecordDataset(str(out), compression_type=tf_compression)
                .map(lambda s: tf.io.parse_single_example(s, ORIGINAL_PARSE_SPEC)).as_numpy_iterator())
    assert len(recs) == len(image_list)
    for i, ((rel, e), rec) in enumerate(zip(image_list.items(), recs)):
        assert rec['jpeg'] == (root / rel).read_bytes(), f'record {i}: jpeg bytes differ from {rel}'
        for k in ('label', 'x1', 'y1', 'x2', 'y2'):
            assert int(rec[k]) == e[k], f'record {i} ({rel}): {k} = {int(rec[k])}, expected {e[k]}'
