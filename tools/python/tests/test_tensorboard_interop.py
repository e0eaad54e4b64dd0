"""TensorBoard event files load in TensorBoard's own reader (EventAccumulator) with every scalar
intact: those of @ffem/training's TensorBoardWriter (tags, steps, float32 values incl. NaN and
infinities, wall times) and those of a short `ffem train` run (equal to its metrics.jsonl)."""
import json
import math

import numpy as np
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from conftest import ffem, last_json_line, run_ts


def test_event_file_loads_in_tensorboard_with_scalars_intact(tmp_path):
    rng = np.random.default_rng(3)
    events = [{'step': s, 'values': {'loss': float(rng.uniform(0, 10)), 'lr': 0.1 * 0.5 ** (s // 20),
                                     'train/accuracy': float(rng.uniform(0, 1))}} for s in range(1, 101)]
    events.append({'step': 101, 'values': {'loss': 1e-30, 'lr': 3.4e38}})
    sc = tmp_path / 'scalars.json'
    sc.write_text(json.dumps(events))
    logdir = tmp_path / 'logs'
    out = last_json_line(run_ts('write-tb-events.ts', logdir, sc))
    assert out['file'].startswith(str(logdir))

    acc = EventAccumulator(str(logdir), size_guidance={'scalars': 0})
    acc.Reload()
    tags = sorted(acc.Tags()['scalars'])
    assert tags == ['loss', 'lr', 'train/accuracy']
    for tag in tags:
        expected = [(e['step'], e['values'][tag]) for e in events if tag in e['values']]
        got = acc.Scalars(tag)
        assert [g.step for g in got] == [s for s, _ in expected], tag
        for g, (s, v) in zip(got, expected):
            assert g.value == float(np.float32(v)), f'{tag} step {s}: {g.value} != float32({v})'
            assert abs(g.wall_time - got[0].wall_time) < 600 and g.wall_time > 1.5e9, f'{tag} step {s}: wall_time {g.wall_time}'


def test_non_finite_scalars_survive(tmp_path):
    events = [{'step': 1, 'values': {'loss': 'NaN'}}, {'step': 2, 'values': {'loss': 'Infinity'}},
              {'step': 3, 'values': {'loss': '-Infinity'}}, {'step': 4, 'values': {'loss': -0.0}}]
    sc = tmp_path / 'scalars.json'
    sc.write_text(json.dumps(events))
    run_ts('write-tb-events.ts', tmp_path / 'logs', sc)
    acc = EventAccumulator(str(tmp_path / 'logs'))
    acc.Reload()
    v = [s.value for s in acc.Scalars('loss')]
    assert math.isnan(v[0]) and v[1] == math.inf and v[2] == -math.inf and v[3] == 0.0 and math.copysign(1, v[3]) < 0


def test_ffem_train_event_file_matches_its_metrics_log(tmp_path):
    """A short `ffem train` run: its TensorBoard event file loads in EventAccumulator and holds,
    for every train line of the run's metrics.jsonl, the same step and float32 value per key."""
    import tensorflow as tf

    rng = np.random.default_rng(4)
    entries = []
    for i in range(8):
        f = tmp_path / f'img{i}.jpg'
        f.write_bytes(tf.io.encode_jpeg(rng.integers(0, 256, (24, 24, 3)).astype(np.uint8)).numpy())
        entries.append({'file': str(f), 'label': i % 2, 'x1': 2, 'y1': 2, 'x2': 22, 'y2': 22})
    (tmp_path / 'list.json').write_text(json.dumps(entries))
    run_ts('write-face-records.ts', tmp_path / 'train.tfrecord', tmp_path / 'list.json')
    cfg = {'model_name': 'interop', 'batch_size': 2, 'shape': [16, 16, 3], 'model': 'tiny',
           'backbone_options': {'widths': [4, 8], 'blocks': [1, 1]}, 'embedding_dim': 4, 'loss': 'AngularMargin',
           'epoch': 1, 'steps_per_epoch': 2, 'log_every': 1, 'lr': 0.01, 'train_file': str(tmp_path / 'train.tfrecord'),
           'num_identity': 2, 'output_dir': str(tmp_path / 'runs'), 'backend': 'cpu', 'seed': 1}
    (tmp_path / 'config.json').write_text(json.dumps(cfg))
    ffem('train', '--config', tmp_path / 'config.json', timeout=480)

    run = tmp_path / 'runs' / 'interop'
    logged = [json.loads(line) for line in (run / 'metrics.jsonl').read_text().splitlines() if line.strip()]
    train = [e for e in logged if e.get('type') == 'train']
    assert len(train) == 2
    acc = EventAccumulator(str(run / 'tensorboard'), size_guidance={'scalars': 0})
    acc.Reload()
    tags = acc.Tags()['scalars']
    assert 'train/loss' in tags and 'train/lr' in tags, tags
    for key in ('loss', 'accuracy', 'lr'):
        got = {s.step: s.value for s in acc.Scalars(f'train/{key}')}
        for e in train:
            assert got[e['step']] == float(np.float32(e[key])), f'train/{key} at step {e["step"]}: {got[e["step"]]} vs {e[key]}'
