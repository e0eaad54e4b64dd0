// The Node test environment every package uses. Jest runs specs in a vm context whose typed-array
// constructors and WebAssembly differ from the host's; native code returns host-realm objects:
// - onnxruntime-node returns host Float32Arrays that onnxruntime-common (loaded in the vm) rejects
//   with `instanceof` (jest issue #2549, onnxruntime issue #16622);
// - the threaded tfjs wasm backend checks `memory.buffer instanceof SharedArrayBuffer` with the
//   vm's WebAssembly and would silently fall back to the slow cpu backend.
// Sharing the host's constructors makes a spec behave exactly as `ffem` does.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'WebAssembly',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class HostRealmEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) if (globalThis[name]) this.global[name] = globalThis[name];
  }
}

module.exports = HostRealmEnvironment;
