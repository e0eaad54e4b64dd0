// The LFW run trains for minutes: a long timeout. (Environment: ../jest-environment.js via the preset.)
module.exports = { ...require('../jest.preset.js'), testTimeout: 900000 };
