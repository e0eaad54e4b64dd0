"""Carries Keras weights into @ffem/models: writes a weights directory that
tools/python/ts/import-keras-weights.ts turns into a saved @ffem/models model directory.

Format (little-endian float32, tfjs/Keras weight order per layer):
    DIR/weights.json  {"layers": [{"name": ..., "weights": [{"shape": [...], "offset": bytes}, ...]}]}
    DIR/weights.bin   the arrays back to back
"""
import json
import os

import numpy as np


def write_weights_dir(out_dir, layer_weights):
    os.makedirs(out_dir, exist_ok=True)
    layers, offset = [], 0
    with open(os.path.join(out_dir, 'weights.bin'), 'wb') as f:
        for name, arrays in layer_weights.items():
            entry = {'name': name, 'weights': []}
            for a in arrays:
                b = np.ascontiguousarray(a, dtype='<f4').tobytes()
                entry['weights'].append({'shape': list(a.shape), 'offset': offset})
                f.write(b)
                offset += len(b)
            layers.append(entry)
    with open(os.path.join(out_dir, 'weights.json'), 'w') as f:
        json.dump({'layers': layers, 'bytes': offset}, f)
    return os.path.join(out_dir, 'weights.json')
