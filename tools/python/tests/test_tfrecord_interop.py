"""TFRecords both ways between TensorFlow and @ffem/tfrecord.

- Face records written by our writer (plain, GZIP, ZLIB) are read by `tf.data.TFRecordDataset`
  with the original FFEM parse spec (shi510/ffem train/input_pipeline.py `_read_tfrecord`):
  every record, the JPEG bytes identical to the source file and the ints identical.
- Records written by `tf.io.TFRecordWriter` (plain, GZIP, ZLIB) are read by our reader: every
  record's bytes, bytes/float/int64 values bit for bit (NaN, -0.0, int64 extremes included).
"""
import base64
import json
import struct

import numpy as np
import pytest
import tensorflow as tf

from conftest import last_json_line, run_ts

# The original's parse spec, verbatim in meaning: every key a scalar FixedLenFeature.
ORIGINAL_PARSE_SPEC = {
    'jpeg': tf.io.FixedLenFeature((), tf.string),
    'label': tf.io.FixedLenFeature((), tf.int64),
    'x1': tf.io.FixedLenFeature((), tf.int64),
    'y1': tf.io.FixedLenFeature((), tf.int64),
    'x2': tf.io.FixedLenFeature((), tf.int64),
    'y2': tf.io.FixedLenFeature((), tf.int64),
}
COMPRESSION = {'none': ('.tfrecord', ''), 'gzip': ('.tfrecord.gz', 'GZIP'), 'zlib': ('.tfrecord.zlib', 'ZLIB')}


@pytest.fixture(scope='module')
def face_images(tmp_path_factory):
    """12 JPEGs of different sizes and qualities with labels and boxes (some extreme ints)."""
    d = tmp_path_factory.mktemp('faces')
    rng = np.random.default_rng(5)
    entries = []
    for i in range(12):
        h, w = int(rng.integers(16, 80)), int(rng.integers(16, 80))
        img = rng.integers(0, 256, (h, w, 3)).astype(np.uint8)
        jpeg = tf.io.encode_jpeg(img, quality=int(rng.integers(50, 100))).numpy()
        f = d / f'img{i:02d}.jpg'
        f.write_bytes(jpeg)
        entries.append({'file': str(f), 'label': i % 5, 'x1': int(rng.integers(0, w // 2)), 'y1': int(rng.integers(0, h // 2)),
                        'x2': int(rng.integers(w // 2, w)), 'y2': int(rng.integers(h // 2, h))})
    # int64 corner cases: a negative coordinate (10-byte varint), labels beyond int32, 2^53 - 1.
    entries[3].update(x1=-7, y1=-1)
    entries[4].update(label=2 ** 31 + 5)
    entries[5].update(x2=2 ** 53 - 1, y2=0)
    lst = d / 'list.json'
    lst.write_text(json.dumps(entries))
    return entries, lst


@pytest.mark.parametrize('compression', list(COMPRESSION))
def test_our_face_records_read_by_tf_data_with_the_original_parse_spec(tmp_path, face_images, compression):
    entries, lst = face_images
    suffix, tf_compression = COMPRESSION[compression]
    out = tmp_path / f'faces{suffix}'
    assert last_json_line(run_ts('write-face-records.ts', out, lst))['records'] == len(entries)

    ds = tf.data.TFRecordDataset(str(out), compression_type=tf_compression)
    raw = list(ds.as_numpy_iterator())
    assert len(raw) == len(entries)
    parsed = ds.map(lambda s: tf.io.parse_single_example(s, ORIGINAL_PARSE_SPEC))
    for i, (e, rec, r) in enumerate(zip(entries, parsed.as_numpy_iterator(), raw)):
        with open(e['file'], 'rb') as f:
            assert rec['jpeg'] == f.read(), f'record {i}: jpeg bytes differ from {e["file"]}'
        for k in ('label', 'x1', 'y1', 'x2', 'y2'):
            assert int(rec[k]) == e[k], f'record {i}: {k} = {int(rec[k])}, expected {e[k]}'
        ex = tf.train.Example.FromString(r)
        kinds = {k: v.WhichOneof('kind') for k, v in ex.features.feature.items()}
        assert kinds == {'jpeg': 'bytes_list', 'label': 'int64_list', 'x1': 'int64_list', 'y1': 'int64_list',
                         'x2': 'int64_list', 'y2': 'int64_list'}, f'record {i}: {kinds}'
        # What the original pipeline does next: the JPEG decodes to the image we encoded.
        img = tf.io.decode_jpeg(rec['jpeg'], channels=3)
        assert img.shape[2] == 3


def _tf_examples():
    """Examples covering every feature kind, packed lists, empty values and special numbers."""
    rng = np.random.default_rng(9)
    examples = []
    for i in range(20):
        feats = {
            'jpeg': tf.train.Feature(bytes_list=tf.train.BytesList(value=[rng.bytes(int(rng.integers(0, 3000)))])),
            'label': tf.train.Feature(int64_list=tf.train.Int64List(value=[i])),
            'x1': tf.train.Feature(int64_list=tf.train.Int64List(value=[int(rng.integers(-5, 500))])),
            'y1': tf.train.Feature(int64_list=tf.train.Int64List(value=[int(rng.integers(0, 500))])),
            'x2': tf.train.Feature(int64_list=tf.train.Int64List(value=[int(rng.integers(0, 500))])),
            'y2': tf.train.Feature(int64_list=tf.train.Int64List(value=[int(rng.integers(0, 500))])),
            'floats': tf.train.Feature(float_list=tf.train.FloatList(value=rng.normal(0, 1e3, int(rng.integers(0, 40))).tolist())),
            'name': tf.train.Feature(bytes_list=tf.train.BytesList(value=[f'record-{i}'.encode(), b''])),
        }
        examples.append(tf.train.Example(features=tf.train.Features(feature=feats)))
    special = {
        'floats': tf.train.Feature(float_list=tf.train.FloatList(
            value=[float('nan'), float('inf'), float('-inf'), -0.0, 1e-45, 3.4028234663852886e38])),
        'ints': tf.train.Feature(int64_list=tf.train.Int64List(value=[-(2 ** 63), 2 ** 63 - 1, -1, 0, 1])),
        'empty_ints': tf.train.Feature(int64_list=tf.train.Int64List(value=[])),
        'empty_bytes': tf.train.Feature(bytes_list=tf.train.BytesList(value=[])),
    }
    examples.append(tf.train.Example(features=tf.train.Features(feature=special)))
    examples.append(tf.train.Example())  # no features at all
    return examples


def _write_tf_records(path, examples, tf_compression=None):
    """Writes `examples` with `tf.io.TFRecordWriter` (tf_compression: None, 'GZIP' or 'ZLIB')."""
    with tf.io.TFRecordWriter(str(path), options=tf.io.TFRecordOptions(compression_type=tf_compression)) as w:
        for ex in examples:
            w.write(ex.SerializeToString())


def _f32_bits(values):
    return [struct.unpack('<I', struct.pack('<f', v))[0] for v in values]


@pytest.mark.parametrize('compression', list(COMPRESSION))
def test_tf_written_records_read_by_our_reader(tmp_path, compression):
    suffix, tf_compression = COMPRESSION[compression]
    path = tmp_path / f'tf{suffix}'
    examples = _tf_examples()
    _write_tf_records(path, examples, tf_compression)
    got = last_json_line(run_ts('read-examples.ts', path, compression))['records']
    assert len(got) == len(examples)
    offset = 0
    for i, (ex, rec) in enumerate(zip(examples, got)):
        raw = ex.SerializeToString()
        assert rec['index'] == i and rec['bytes'] == len(raw) and rec['offset'] == offset, f'record {i}: {rec["index"]}'
        offset += 16 + len(raw)
        feats = ex.features.feature
        assert sorted(rec['features']) == sorted(feats), f'record {i}: keys {sorted(rec["features"])}'
        for k, f in feats.items():
            kind = f.WhichOneof('kind')
            g = rec['features'][k]
            if kind == 'bytes_list' or (kind is None and 'bytes' in g):
                assert [base64.b64decode(b) for b in g['bytes']] == list(f.bytes_list.value), f'record {i}: {k}'
            elif kind == 'float_list':
                assert g['floatBits'] == _f32_bits(f.float_list.value), f'record {i}: {k}'
            elif kind == 'int64_list':
                assert [int(v) for v in g['int64']] == list(f.int64_list.value), f'record {i}: {k}'
            else:
                raise AssertionError(f'record {i}: feature {k} has no kind')


def test_shared_tfx_fixture_read_identically_by_tf_and_us(repo):
    """A TFRecord written by TFX (shared data) gives the same records through tf.data and through us."""
    import os
    path = os.path.join(os.environ.get('FFEM_SHARED_DATA', os.path.join(repo, '..', 'shared', 'data')),
                        'tfrecord-fixtures', 'penguin_eval.tfrecord.gz')
    assert os.path.exists(path), f'shared data missing: {path}'
    tf_records = list(tf.data.TFRecordDataset(path, compression_type='GZIP').as_numpy_iterator())
    got = last_json_line(run_ts('read-examples.ts', path, 'gzip'))['records']
    assert len(got) == len(tf_records) == 100
    for i, (r, g) in enumerate(zip(tf_records, got)):
        ex = tf.train.Example.FromString(r)
        assert g['bytes'] == len(r)
        for k, f in ex.features.feature.items():
            if f.WhichOneof('kind') == 'float_list':
                assert g['features'][k]['floatBits'] == _f32_bits(f.float_list.value), f'record {i}: {k}'
            else:
                assert [int(v) for v in g['features'][k]['int64']] == list(f.int64_list.value), f'record {i}: {k}'


@pytest.mark.parametrize('compression', ['none', 'gzip'])
def test_tf_written_face_records_through_our_training_pipeline(tmp_path, compression):
    """tf.io.TFRecordWriter face records -> @ffem/data createPipeline (test transform) give the
    crops the original pipeline makes: decode_jpeg -> crop_and_resize(box / [H, W, H, W]) / 255.
    Exactly, with decode_jpeg(dct_method='INTEGER_ACCURATE') (what @ffem/data's sharp decoder
    matches); the original's default decode_jpeg (IDCT 'INTEGER_FAST') differs by a few levels."""
    suffix, tf_compression = COMPRESSION[compression]
    rng = np.random.default_rng(11)
    path = tmp_path / f'faces{suffix}'
    out_h, out_w = 24, 20
    expected, expected_default, labels = [], [], []
    with tf.io.TFRecordWriter(str(path), options=tf.io.TFRecordOptions(compression_type=tf_compression)) as w:
        for i in range(7):
            h, w_ = int(rng.integers(30, 60)), int(rng.integers(30, 60))
            # Smooth images: JPEG decoders agree closely on them.
            yy, xx = np.mgrid[0:h, 0:w_]
            img = np.stack([(xx * 4 + i * 9) % 256, (yy * 3) % 256, ((xx + yy) * 2) % 256], -1).astype(np.uint8)
            jpeg = tf.io.encode_jpeg(img, quality=95).numpy()
            box = [int(rng.integers(0, 8)), int(rng.integers(0, 8)), int(rng.integers(w_ - 8, w_)), int(rng.integers(h - 8, h))]
            ex = tf.train.Example(features=tf.train.Features(feature={
                'jpeg': tf.train.Feature(bytes_list=tf.train.BytesList(value=[jpeg])),
                **{k: tf.train.Feature(int64_list=tf.train.Int64List(value=[v]))
                   for k, v in zip(['label', 'x1', 'y1', 'x2', 'y2'], [i % 4, *box])}}))
            w.write(ex.SerializeToString())
            nb = np.array([[box[1] / h, box[0] / w_, box[3] / h, box[2] / w_]], np.float32)
            for dst, dct in ((expected, 'INTEGER_ACCURATE'), (expected_default, '')):
                decoded = tf.cast(tf.io.decode_jpeg(jpeg, channels=3, dct_method=dct), tf.float32)
                dst.append(tf.image.crop_and_resize(decoded[None], nb, [0], [out_h, out_w])[0].numpy() / np.float32(255))
            labels.append(i % 4)
    out = last_json_line(run_ts('pipeline-batches.ts', tmp_path / 'out', out_h, out_w, 3, path))
    assert out['labels'] == labels and out['batches'] == [3, 3, 1]
    got = np.frombuffer((tmp_path / 'out' / 'images.bin').read_bytes(), '<f4').reshape(len(labels), out_h, out_w, 3)
    diff = np.abs(got - np.stack(expected)).max()
    diff_default = np.abs(got - np.stack(expected_default)).max()
    print(f'pipeline ({compression}) vs tf.data crops: max abs diff {diff:.3g} (INTEGER_ACCURATE IDCT), '
          f'{diff_default:.3g} = {diff_default * 255:.2f}/255 (decode_jpeg default)')
    assert diff <= 1e-6, f'max abs diff {diff} vs decode_jpeg(dct_method=INTEGER_ACCURATE)'
    assert diff_default <= 8 / 255, f'max abs diff {diff_default} vs the default decode_jpeg'
