/**
 * Interop helper: writes a TensorBoard event file with @ffem/training's TensorBoardWriter.
 *
 *   npx tsx tools/python/ts/write-tb-events.ts LOGDIR SCALARS.json
 *
 * SCALARS.json: [{"step": 1, "values": {"loss": 2.5, "lr": 0.1}}, ...] (a value may be the string
 * "NaN", "Infinity" or "-Infinity"); prints {"file": ...}.
 */
import * as fs from 'fs';
import { TensorBoardWriter } from '@ffem/training';

const [logdir, scalars] = process.argv.slice(2);
if (!logdir || !scalars) {
  process.stderr.write('usage: write-tb-events.ts LOGDIR SCALARS.json\n');
  process.exit(1);
}
const w = new TensorBoardWriter(logdir);
for (const e of JSON.parse(fs.readFileSync(scalars, 'utf8')) as Array<{ step: number; values: Record<string, number | string> }>) {
  w.scalars(e.step, Object.fromEntries(Object.entries(e.values).map(([k, v]) => [k, Number(v)])));
}
w.close();
process.stdout.write(JSON.stringify({ file: w.file }) + '\n');
