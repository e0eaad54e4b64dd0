"""Writes fixtures in the format `loadFixture` (packages/testing/src/fixture.ts) reads:
{provenance: {generator, libraries, seed, notes}, tolerance: {atol, rtol}, data}.
Tensors are stored as {"shape": [...], "values": [... row-major float32 ...]}.
"""
import json
import os
import sys

import keras
import numpy as np
import tensorflow as tf

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))


def libraries():
    return {
        'python': '%d.%d.%d' % sys.version_info[:3],
        'tensorflow': tf.__version__,
        'keras': keras.__version__,
        'numpy': np.__version__,
    }


def tensor(x):
    a = np.asarray(x.numpy() if hasattr(x, 'numpy') else x, dtype=np.float32)
    return {'shape': list(a.shape), 'values': [float(v) for v in a.reshape(-1)]}


def scalar(x):
    return float(np.asarray(x.numpy() if hasattr(x, 'numpy') else x, dtype=np.float32))


def write(rel_path, generator, seed, tolerance, data, notes=None):
    """Writes REPO_ROOT/rel_path atomically; returns the absolute path."""
    path = os.path.join(REPO_ROOT, rel_path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    doc = {
        'provenance': {'generator': generator, 'libraries': libraries(), 'seed': seed},
        'tolerance': tolerance,
        'data': data,
    }
    if notes:
        doc['provenance']['notes'] = notes
    tmp = f'{path}.tmp-{os.getpid()}'
    with open(tmp, 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')
    os.replace(tmp, path)
    return path
