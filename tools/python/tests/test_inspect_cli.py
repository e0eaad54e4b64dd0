"""`ffem inspect --json` on TFRecord files written by `tf.io.TFRecordWriter` (plain, GZIP, ZLIB)
and on a corrupted one: record counts, payload bytes, feature keys, types and value counts, the
label range and the CRC status all as TensorFlow wrote / sees them (a corrupt record: the report,
then `ffem: error: ...` naming record and offset, exit 1)."""
import json

import pytest
import tensorflow as tf

from conftest import ffem, ffem_result
from test_tfrecord_interop import COMPRESSION, _tf_examples, _write_tf_records

KIND = {'bytes_list': 'bytes', 'float_list': 'float', 'int64_list': 'int64'}


def _expected(examples):
    feats, labels = {}, []
    for ex in examples:
        for k, f in ex.features.feature.items():
            kind = f.WhichOneof('kind')
            n = len(getattr(f, kind).value)
            e = feats.setdefault(k, {'types': set(), 'records': 0, 'minValues': n, 'maxValues': n})
            e['types'].add(KIND[kind])
            e['records'] += 1
            e['minValues'], e['maxValues'] = min(e['minValues'], n), max(e['maxValues'], n)
        if 'label' in ex.features.feature:
            labels += list(ex.features.feature['label'].int64_list.value)
    return feats, labels


def _inspect(path):
    out = json.loads(ffem('inspect', '--json', path))
    return out[0] if isinstance(out, list) else out


@pytest.mark.parametrize('compression', list(COMPRESSION))
def test_inspect_reports_tf_written_files(tmp_path, compression):
    suffix, tf_compression = COMPRESSION[compression]
    path = tmp_path / f'tf{suffix}'
    examples = _tf_examples()
    _write_tf_records(path, examples, tf_compression)
    r = _inspect(path)
    assert r['compression'] == compression
    assert r['records'] == len(examples)
    assert r['payloadBytes'] == sum(len(ex.SerializeToString()) for ex in examples)
    assert r['fileBytes'] == path.stat().st_size
    assert r['crc']['ok'] is True and r['crc']['corrupt'] == 0
    feats, labels = _expected(examples)
    assert sorted(r['features']) == sorted(feats)
    for k, e in feats.items():
        g = r['features'][k]
        assert sorted(g['types']) == sorted(e['types']), k
        assert (g['records'], g['minValues'], g['maxValues']) == (e['records'], e['minValues'], e['maxValues']), k
    assert (r['label']['min'], r['label']['max'], r['label']['distinct']) == (min(labels), max(labels), len(set(labels)))


def test_inspect_reports_a_corrupted_record(tmp_path):
    path = tmp_path / 'corrupt.tfrecord'
    examples = _tf_examples()
    _write_tf_records(path, examples)
    data = bytearray(path.read_bytes())
    at = 12 + len(examples[0].SerializeToString()) + 4 + 12 + 5  # inside record 1's payload
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    # TensorFlow itself refuses the file at record 1.
    with pytest.raises(tf.errors.DataLossError):
        list(tf.data.TFRecordDataset(str(path)).as_numpy_iterator())
    # We report it too: the JSON report on stdout, then a one-line error naming record and offset, exit 1.
    rc, stdout, stderr = ffem_result('inspect', '--json', path)
    assert rc == 1, f'exit {rc}'
    r = json.loads(stdout)
    r = r[0] if isinstance(r, list) else r
    assert r['crc']['ok'] is False and r['crc']['corrupt'] == 1
    assert r['records'] == len(examples) - 1  # the good ones
    offset = 16 + len(examples[0].SerializeToString())
    assert f'record 1 at offset {offset}' in stderr, stderr[-500:]
