// The chain runs onnxruntime-node and the threaded wasm backend inside Jest: see
// jest-environment.js. The LFW run trains for minutes: a long timeout.
module.exports = {
  ...require('../jest.preset.js'),
  testEnvironment: require.resolve('./jest-environment.js'),
  testTimeout: 900000,
};
