#!/usr/bin/env node
/**
 * Builds the native training kernels (kernels.c) into native/build/kernels.node for this machine
 * (`-march=native`: the addon is built where it runs). Run by the root `postinstall` (so `npm ci`
 * builds it) and by hand: `node packages/backend/native/build.mjs`.
 *
 * It never fails the install: where it cannot build (no C compiler, not Linux/macOS,
 * FFEM_NO_NATIVE=1) it says why in one line and the wasm backend runs tfjs' own ops for these
 * steps instead (same results, slower). The outcome is written to native/build/status.json, which
 * the tests read to know whether the native kernels must be in use.
 * Needs a C compiler (`cc`, or $CC) and the Node-API headers (the `node-api-headers` package).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'build');
const target = join(out, 'kernels.node');
const require = createRequire(import.meta.url);

function finish(status) {
  mkdirSync(out, { recursive: true });
  const tmp = join(out, `status.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify({ ...status, date: new Date().toISOString() }, null, 2) + '\n');
  renameSync(tmp, join(out, 'status.json'));
  if (status.built) console.log(`@ffem/backend: built the native training kernels (${status.compiler})`);
  else console.warn(`@ffem/backend: native training kernels not built (${status.reason}); the wasm backend runs tfjs ops for them`);
}

function compile(cc, flags, tmp) {
  const link = process.platform === 'darwin' ? ['-bundle', '-undefined', 'dynamic_lookup'] : ['-shared'];
  const args = [...flags, '-fPIC', '-std=c11', '-D_POSIX_C_SOURCE=200809L', '-ffp-contract=off', '-Wall', '-Werror', '-pthread', ...link];
  args.push('-DNODE_GYP_MODULE_NAME=ffem_kernels', '-I', require('node-api-headers').include_dir, '-o', tmp, join(here, 'kernels.c'), '-lm');
  return { args, r: spawnSync(cc, args, { encoding: 'utf8' }) };
}

function main() {
  if (process.env.FFEM_NO_NATIVE === '1') return finish({ built: false, reason: 'FFEM_NO_NATIVE=1' });
  if (process.platform !== 'linux' && process.platform !== 'darwin') return finish({ built: false, reason: `no build for ${process.platform}` });
  try {
    require.resolve('node-api-headers');
  } catch (e) {
    return finish({ built: false, reason: `node-api-headers not installed: ${e.message}` });
  }
  const cc = process.env.CC || 'cc';
  mkdirSync(out, { recursive: true });
  const tmp = join(out, `kernels.node.${process.pid}.tmp`);
  // -march=native where the compiler knows this CPU; plain -O3 otherwise.
  let { args, r } = compile(cc, ['-O3', '-march=native'], tmp);
  if (!r.error && r.status !== 0) ({ args, r } = compile(cc, ['-O3'], tmp));
  if (r.error || r.status !== 0) {
    rmSync(tmp, { force: true });
    const why = r.error ? r.error.message : (r.stderr || '').trim().split('\n')[0];
    return finish({ built: false, reason: `${cc} failed: ${why}` });
  }
  renameSync(tmp, target);
  return finish({ built: true, compiler: `${cc} ${args.slice(0, 2).join(' ')}` });
}

main();
