"""Reference implementations (TensorFlow/Keras) of the FFEM math, used to generate the fixtures
that the TypeScript unit tests read and to cross-check our models in the interop suite.

Each module is written from the paper it names and from the original Python FFEM
(github.com/shi510/ffem, `train/layers/*.py`, `train/custom_models/*.py`); where we deviate
from the original on purpose the module says so.
"""
import os

# Deterministic oneDNN-free kernels: fixtures must not depend on the CPU's instruction set.
os.environ.setdefault('TF_ENABLE_ONEDNN_OPTS', '0')
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
