// The chain runs onnxruntime-node and the threaded tfjs wasm backend inside Jest, whose specs live
// in a vm context with typed-array constructors of their own. onnxruntime-node returns host-realm
// Float32Arrays that onnxruntime-common (loaded in the vm) rejects (onnxruntime issue #16622), so
// the host's typed arrays are shared with the vm (as packages/ort/jest-environment.js does). The
// threaded wasm backend checks `memory.buffer instanceof SharedArrayBuffer` with the vm's
// WebAssembly, so WebAssembly is shared too, keeping both on the host's side.
const NodeEnvironment = require('jest-environment-node').TestEnvironment;

const SHARED = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'WebAssembly',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class HostTypedArrayEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) if (globalThis[name]) this.global[name] = globalThis[name];
  }
}

module.exports = HostTypedArrayEnvironment;
