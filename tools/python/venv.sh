#!/usr/bin/env bash
# Creates (once) and prints the path of the interop suite's Python virtual environment.
#
# Location: $FFEM_PY_VENV if set, else ~/.cache/ffem/py-venv-<py version>-<sha256(requirements.txt)>,
# outside the work tree so that CI's fresh clones and every checkout reuse it. A venv counts as
# ready only once its `.ffem-ready` marker exists; a half-built one (killed install) is rebuilt.
# Concurrent callers serialise on a lock file. Progress goes to stderr, the path alone to stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
req="$here/requirements.txt"
py="${FFEM_PYTHON:-python3}"
command -v "$py" >/dev/null || { echo "venv.sh: error: $py not found (set FFEM_PYTHON)" >&2; exit 1; }
pyver="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
key="$(sha256sum "$req" | cut -c1-12)"
venv="${FFEM_PY_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/ffem/py-venv-$pyver-$key}"
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if [ ! -f "$venv/.ffem-ready" ]; then
  echo "venv.sh: building $venv (Python $pyver, requirements $key)" >&2
  rm -rf "$venv"
  "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$req" >&2
  "$venv/bin/python" -m pip check >&2
  date -u +%FT%TZ > "$venv/.ffem-ready"
fi
echo "$venv"
