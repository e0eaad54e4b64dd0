// onnxruntime-node creates its output arrays in Node's main realm, and onnxruntime-common checks
// `data instanceof Float32Array` in the test's realm: under Jest's default sandbox those are
// different constructors (jest issue #2549). This environment hands the sandbox Node's own typed
// arrays, so a session behaves under Jest exactly as in `ffem`.
const { TestEnvironment } = require('jest-environment-node');

const shared = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Uint8Array', 'Uint8ClampedArray', 'Int8Array', 'Uint16Array',
  'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class OrtEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of shared) this.global[name] = globalThis[name];
  }
}

module.exports = OrtEnvironment;
