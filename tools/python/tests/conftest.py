"""Shared helpers of the interop suite: the repository root and runners for our TypeScript side
(helper scripts in tools/python/ts/ through tsx, and the `ffem` CLI)."""
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import ffem_ref  # noqa: E402,F401  (TensorFlow environment settings before it loads)

REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
TSX = os.path.join(REPO, 'node_modules', '.bin', 'tsx')


def _run(cmd, timeout):
    r = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {r.returncode}\n--- stderr ---\n{r.stderr[-4000:]}\n"
                             f"--- stdout ---\n{r.stdout[-2000:]}")
    return r.stdout


def run_ts(script, *args, timeout=300):
    """Runs tools/python/ts/<script> with tsx; returns its stdout."""
    return _run([TSX, os.path.join(REPO, 'tools', 'python', 'ts', script), *map(str, args)], timeout)


def ffem(*args, timeout=300):
    """Runs the `ffem` CLI (packages/cli/src/main.ts) with tsx; returns its stdout."""
    return _run([TSX, os.path.join(REPO, 'packages', 'cli', 'src', 'main.ts'), *map(str, args)], timeout)


def ffem_result(*args, timeout=300):
    """Runs the `ffem` CLI and returns (exit code, stdout, stderr) whatever the exit code."""
    cmd = [TSX, os.path.join(REPO, 'packages', 'cli', 'src', 'main.ts'), *map(str, args)]
    r = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    return r.returncode, r.stdout, r.stderr


def last_json_line(stdout):
    lines = [line for line in stdout.splitlines() if line.strip()]
    if not lines:
        raise AssertionError('the TypeScript side exited 0 without printing its result '
                             '(a promise that never settled lets Node exit early)')
    return json.loads(lines[-1])


@pytest.fixture(scope='session')
def repo():
    return REPO
