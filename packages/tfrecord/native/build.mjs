#!/usr/bin/env node
/**
 * Builds the SSE4.2 CRC-32C addon (crc32c.c: CRC-32C, off-thread frame checks, file mappings)
 * into native/build/crc32c.node. Run by the root `postinstall` (so `npm ci` builds it) and by
 * hand: `node packages/tfrecord/native/build.mjs`.
 *
 * It never fails the install: where it cannot build (not x86-64, no C compiler, FFEM_NO_NATIVE=1)
 * it says why in one line and @ffem/tfrecord uses @node-rs/crc32 instead (and reads plain files
 * rather than mapping them). The outcome is written
 * to native/build/status.json, which the tests read to know which implementation must be loaded.
 * Needs a C compiler (`cc`, or $CC) and the Node-API headers (the `node-api-headers` package).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'build');
const target = join(out, 'crc32c.node');
const require = createRequire(import.meta.url);

function finish(status) {
  mkdirSync(out, { recursive: true });
  const tmp = join(out, `status.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify({ ...status, date: new Date().toISOString() }, null, 2) + '\n');
  renameSync(tmp, join(out, 'status.json'));
  if (status.built) console.log(`@ffem/tfrecord: built the SSE4.2 CRC-32C addon (${status.compiler})`);
  else console.warn(`@ffem/tfrecord: CRC-32C addon not built (${status.reason}); using @node-rs/crc32`);
}

function main() {
  if (process.env.FFEM_NO_NATIVE === '1') return finish({ built: false, reason: 'FFEM_NO_NATIVE=1' });
  if (process.arch !== 'x64' || (process.platform !== 'linux' && process.platform !== 'darwin')) {
    return finish({ built: false, reason: `no SSE4.2 build for ${process.platform}-${process.arch}` });
  }
  let include;
  try {
    include = require('node-api-headers').include_dir;
  } catch (e) {
    return finish({ built: false, reason: `node-api-headers not installed: ${e.message}` });
  }
  const cc = process.env.CC || 'cc';
  mkdirSync(out, { recursive: true });
  const tmp = join(out, `crc32c.node.${process.pid}.tmp`);
  const link = process.platform === 'darwin' ? ['-bundle', '-undefined', 'dynamic_lookup'] : ['-shared'];
  const args = ['-O3', '-fPIC', '-std=c11', '-Wall', '-Werror', ...link, '-DNODE_GYP_MODULE_NAME=ffem_crc32c', '-I', include, '-o', tmp, join(here, 'crc32c.c')];
  const r = spawnSync(cc, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    rmSync(tmp, { force: true });
    const why = r.error ? r.error.message : (r.stderr || '').trim().split('\n')[0];
    return finish({ built: false, reason: `${cc} failed: ${why}` });
  }
  renameSync(tmp, target);
  return finish({ built: true, compiler: `${cc} ${args.slice(0, 4).join(' ')}` });
}

main();
