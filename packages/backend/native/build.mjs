#!/usr/bin/env node
/**
 * Builds the native training kernels (kernels.c) into native/build/kernels.node for this machine
 * (`-march=native` where the compiler knows the CPU: the addon is built where it runs). Run by
 * the root `postinstall` (so `npm ci` builds it) and by hand: `node packages/backend/native/build.mjs`.
 *
 * Where it cannot build (no C compiler, not Linux/macOS, FFEM_NO_NATIVE=1) it says why in one line
 * and the wasm backend runs tfjs' own ops for these steps instead (same results, slower); see
 * tools/native-addon.mjs.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAddon } from '../../../tools/native-addon.mjs';

const supported = process.platform === 'linux' || process.platform === 'darwin';
buildAddon({
  dir: dirname(fileURLToPath(import.meta.url)),
  source: 'kernels.c',
  name: 'kernels',
  label: '@ffem/backend',
  built: 'the native training kernels',
  fallback: 'the wasm backend runs tfjs ops for them',
  unsupported: supported ? null : `no build for ${process.platform}`,
  flagSets: [
    ['-O3', '-march=native', '-D_POSIX_C_SOURCE=200809L', '-ffp-contract=off', '-pthread'],
    ['-O3', '-D_POSIX_C_SOURCE=200809L', '-ffp-contract=off', '-pthread'],
  ],
  libs: ['-lm'],
});
