/**
 * Builds one of this repo's Node-API addons with the system C compiler (`cc`, or $CC) and the
 * `node-api-headers` package; used by packages/tfrecord/native/build.mjs and
 * packages/backend/native/build.mjs, which the root `postinstall` runs (so `npm ci` builds both).
 *
 * It never fails the install: where it cannot build (FFEM_NO_NATIVE=1, an unsupported platform,
 * no compiler) it says why in one line and the package uses its fallback. The outcome goes to
 * `<dir>/build/status.json` (written to a temporary file, then renamed), which the packages'
 * tests read to know whether the addon must be in use. The addon itself is compiled to a
 * temporary file and renamed into place: never a half-written `.node`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * @param {object} o
 * @param {string} o.dir the package's native/ folder (holds `source`; gets build/)
 * @param {string} o.source the C file, e.g. 'kernels.c'
 * @param {string} o.name the addon's name: build/<name>.node, module ffem_<name>
 * @param {string} o.label the package, for the log line
 * @param {string} o.built what the log line says when built
 * @param {string} o.fallback what the log line says is used instead
 * @param {string|null} o.unsupported why this platform gets no build (null: build)
 * @param {string[][]} o.flagSets compiler flag sets to try in order (the first that compiles wins)
 * @param {string[]} [o.libs] libraries to link (e.g. ['-lm'])
 */
export function buildAddon(o) {
  const out = join(o.dir, 'build');
  const finish = (status) => {
    mkdirSync(out, { recursive: true });
    const tmp = join(out, `status.json.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify({ ...status, date: new Date().toISOString() }, null, 2) + '\n');
    renameSync(tmp, join(out, 'status.json'));
    if (status.built) console.log(`${o.label}: built ${o.built} (${status.compiler})`);
    else {
      rmSync(join(out, `${o.name}.node`), { force: true }); // no stale addon beside a "not built" status
      console.warn(`${o.label}: ${o.built} not built (${status.reason}); ${o.fallback}`);
    }
    return status;
  };
  if (process.env.FFEM_NO_NATIVE === '1') return finish({ built: false, reason: 'FFEM_NO_NATIVE=1' });
  if (o.unsupported) return finish({ built: false, reason: o.unsupported });
  let include;
  try {
    include = require('node-api-headers').include_dir;
  } catch (e) {
    return finish({ built: false, reason: `node-api-headers not installed: ${e.message}` });
  }
  const cc = process.env.CC || 'cc';
  mkdirSync(out, { recursive: true });
  const tmp = join(out, `${o.name}.node.${process.pid}.tmp`);
  const link = process.platform === 'darwin' ? ['-bundle', '-undefined', 'dynamic_lookup'] : ['-shared'];
  let why = '';
  for (const flags of o.flagSets) {
    const args = [...flags, '-fPIC', '-std=c11', '-Wall', '-Werror', ...link, `-DNODE_GYP_MODULE_NAME=ffem_${o.name}`, '-I', include, '-o', tmp, join(o.dir, o.source), ...(o.libs ?? [])];
    const r = spawnSync(cc, args, { encoding: 'utf8' });
    if (!r.error && r.status === 0) {
      renameSync(tmp, join(out, `${o.name}.node`));
      // The CPU it was built on: an addon built with -march=native must not be loaded elsewhere.
      return finish({ built: true, compiler: `${cc} ${flags.join(' ')} -std=c11`, cpu: cpus()[0]?.model ?? 'unknown', arch: process.arch });
    }
    rmSync(tmp, { force: true });
    why = r.error ? r.error.message : (r.stderr || '').trim().split('\n')[0];
    if (r.error) break; // no compiler: other flags will not help
  }
  return finish({ built: false, reason: `${cc} failed: ${why}` });
}
