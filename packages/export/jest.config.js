// Sessions need Node's own typed arrays inside Jest: see packages/ort/jest-environment.js.
module.exports = { ...require('../../jest.preset.js'), testEnvironment: require.resolve('../ort/jest-environment.js') };
