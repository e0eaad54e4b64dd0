#!/usr/bin/env bash
# Builds @tensorflow/tfjs-node's native addon against the TensorFlow shared libraries of PyPI's
# `tensorflow-cpu` wheel, for machines where tfjs-node's own download (storage.googleapis.com)
# is unreachable. Only npm and PyPI are used. Verified 2026-11-28: tfjs-node 4.22.0 +
# tensorflow-cpu 2.21.0 (cp311 manylinux wheel), Node 20, Debian 12, g++ 12: `initBackend()`
# then picks 'tensorflow' (TF_Version 2.21.0).
#
# usage: build-tfjs-node-from-wheel.sh <dest-dir> [tensorflow-cpu version]
#   <dest-dir>/node_modules/@tensorflow/tfjs-node is created; run with
#   NODE_PATH=<dest-dir>/node_modules:<app>/node_modules so that `require('@tensorflow/tfjs-node')`
#   finds it and it finds the application's @tensorflow/tfjs.
# needs: python3 -m pip, npm, g++, make, Node headers (/usr/include/node, else node-gyp fetches them).
set -euo pipefail
dest=$(realpath -m "${1:?usage: $0 <dest-dir> [tensorflow-cpu version]}")
tfver=${2:-2.21.0}
tfjs=4.22.0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest/node_modules/@tensorflow" "$dest/wheels"

echo "* tensorflow-cpu==$tfver wheel (PyPI)" >&2
python3 -m pip download "tensorflow-cpu==$tfver" --no-deps -d "$dest/wheels" -q
wheel=$(ls "$dest"/wheels/tensorflow_cpu-"$tfver"-*.whl | head -1)

echo "* @tensorflow/tfjs-node@$tfjs sources (npm) and its runtime dependencies" >&2
# tfjs-node's own runtime dependencies, beside it (installed first: a later `npm install` in
# <dest-dir> would prune the hand-placed tfjs-node) (not inside: a second @tensorflow/tfjs there
# would register the backend with the wrong tfjs instance). @tensorflow/tfjs itself comes from
# the application (NODE_PATH).
[ -f "$dest/package.json" ] || echo '{"private": true}' > "$dest/package.json"
(cd "$dest" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --no-package-lock --silent \
  @mapbox/node-pre-gyp@1.0.9 google-protobuf@3.21.2 adm-zip@0.5.2 https-proxy-agent@2.2.1 progress@2.0.0 rimraf@2.6.2 tar@6.2.1 >/dev/null)
(cd "$work" && npm pack "@tensorflow/tfjs-node@$tfjs" --silent >/dev/null && tar xzf tensorflow-tfjs-node-$tfjs.tgz)
pkg="$dest/node_modules/@tensorflow/tfjs-node"
rm -rf "$pkg" && mkdir -p "$(dirname "$pkg")" && mv "$work/package" "$pkg"

echo "* libtensorflow from the wheel -> deps/" >&2
(cd "$work" && python3 -m zipfile -e "$wheel" wheel >/dev/null)
mkdir -p "$pkg/deps/lib"
mv "$work/wheel/tensorflow/libtensorflow_cc.so.2" "$work/wheel/tensorflow/libtensorflow_framework.so.2" "$pkg/deps/lib/"
mv "$work/wheel/tensorflow/include" "$pkg/deps/include"
# binding.gyp links -ltensorflow -ltensorflow_framework; the wheel's C API lives in libtensorflow_cc.
ln -sf libtensorflow_cc.so.2 "$pkg/deps/lib/libtensorflow.so"
ln -sf libtensorflow_framework.so.2 "$pkg/deps/lib/libtensorflow_framework.so"

echo "* building the addon (node-gyp, a few minutes)" >&2
nodedir=()
[ -f /usr/include/node/node_api.h ] && nodedir=(--nodedir=/usr)
(cd "$pkg" && npx --yes node-gyp@10 rebuild "${nodedir[@]}" -j "$(nproc)" \
  --module_name=tfjs_binding --module_path="$pkg/lib/napi-v8" --napi_build_version=8 >/dev/null)
test -f "$pkg/lib/napi-v8/tfjs_binding.node"
echo "$pkg" 
