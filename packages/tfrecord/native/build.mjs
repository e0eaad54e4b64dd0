#!/usr/bin/env node
/**
 * Builds the SSE4.2 CRC-32C addon (crc32c.c: CRC-32C, off-thread frame checks, file mappings)
 * into native/build/crc32c.node. Run by the root `postinstall` (so `npm ci` builds it) and by
 * hand: `node packages/tfrecord/native/build.mjs`.
 *
 * Where it cannot build (not x86-64, no C compiler, FFEM_NO_NATIVE=1) it says why in one line and
 * @ffem/tfrecord uses @node-rs/crc32 instead (and reads plain files rather than mapping them);
 * see tools/native-addon.mjs.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAddon } from '../../../tools/native-addon.mjs';

const supported = process.arch === 'x64' && (process.platform === 'linux' || process.platform === 'darwin');
buildAddon({
  dir: dirname(fileURLToPath(import.meta.url)),
  source: 'crc32c.c',
  name: 'crc32c',
  label: '@ffem/tfrecord',
  built: 'the SSE4.2 CRC-32C addon',
  fallback: 'using @node-rs/crc32',
  unsupported: supported ? null : `no SSE4.2 build for ${process.platform}-${process.arch}`,
  flagSets: [['-O3']],
});
