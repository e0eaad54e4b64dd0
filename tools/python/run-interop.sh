#!/usr/bin/env bash
# The Python interop suite (`npm run test:interop`, run by CI after the TypeScript tests):
# TensorFlow / Keras / onnxruntime / TensorBoard against our TypeScript packages.
#
# 1. ensures the pinned, cached virtual environment (tools/python/venv.sh; built once per
#    requirements.txt, reused by every checkout and CI run on the machine);
# 2. runs pytest on tools/python/tests. Any failure, and a run that collects no test at all
#    (pytest exit 5), exits non-zero. Extra arguments go to pytest (e.g. -k tfrecord).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
[ -x "$repo/node_modules/.bin/tsx" ] || { echo "run-interop: error: $repo/node_modules/.bin/tsx missing (run npm ci first)" >&2; exit 1; }
venv="$("$here/venv.sh")"
echo "run-interop: Python environment $venv" >&2
cd "$here"
export PYTHONDONTWRITEBYTECODE=1
start=$SECONDS
set +e
"$venv/bin/python" -m pytest -p no:cacheprovider "$@"
rc=$?
set -e
echo "run-interop: pytest exit $rc after $((SECONDS - start)) s" >&2
if [ "$rc" -eq 5 ]; then
  echo "run-interop: error: no tests were collected" >&2
fi
exit "$rc"
