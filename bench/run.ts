/**
 * `npm run bench [-- name ...]`: runs every `bench/<name>.bench.ts` (or the named ones), one after
 * another in its own process so each measures alone. Each writes `bench/results/<name>.json`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const all = fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  process.stderr.write(`bench: unknown benchmark(s) ${unknown.join(', ')}; have ${all.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length ? wanted : all) {
  process.stderr.write(`\n=== bench ${name}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, `${name}.bench.ts`)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`bench ${name} failed (exit ${r.status})\n`);
  }
}
process.exit(failed ? 1 : 0);
