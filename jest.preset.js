// Shared Jest settings: TypeScript through SWC (fast, no type-check; `npm run typecheck` does that).
const path = require('path');
module.exports = {
  testEnvironment: path.join(__dirname, 'jest-environment.js'),
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleNameMapper: { '^@ffem/(.*)$': path.join(__dirname, 'packages/$1/src/index.ts') },
  testMatch: ['**/*.spec.ts'],
  testTimeout: 120000,
};
