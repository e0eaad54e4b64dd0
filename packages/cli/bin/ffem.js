#!/usr/bin/env node
// Entry point of the `ffem` command: registers tsx so the TypeScript sources run as they are.
require('tsx/cjs');
const { main } = require('../src/main.ts');
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
