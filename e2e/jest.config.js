module.exports = { ...require('../jest.preset.js'), testTimeout: 900000 };
