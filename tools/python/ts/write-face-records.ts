/**
 * Interop helper: writes face records with @ffem/tfrecord (TFRecordWriter + encodeFaceRecord).
 *
 *   npx tsx tools/python/ts/write-face-records.ts OUT.tfrecord[.gz] LIST.json
 *
 * LIST.json: [{"file": "/abs/a.jpg", "label": 0, "x1": 1, "y1": 2, "x2": 30, "y2": 40}, ...];
 * the jpeg feature holds the file's bytes unchanged. Compression follows the suffix.
 */
import * as fs from 'fs';
import { encodeFaceRecord, TFRecordWriter } from '@ffem/tfrecord';

interface Entry {
  file: string;
  label: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

async function main(): Promise<void> {
  const [out, list] = process.argv.slice(2);
  if (!out || !list) throw new Error('usage: write-face-records.ts OUT.tfrecord LIST.json');
  const entries = JSON.parse(fs.readFileSync(list, 'utf8')) as Entry[];
  const w = await TFRecordWriter.open(out);
  for (const e of entries) {
    await w.write(encodeFaceRecord({ jpeg: fs.readFileSync(e.file), label: e.label, x1: e.x1, y1: e.y1, x2: e.x2, y2: e.y2 }));
  }
  await w.close();
  process.stdout.write(JSON.stringify({ file: out, records: entries.length }) + '\n');
}

main().catch((e: Error) => {
  process.stderr.write(`write-face-records: error: ${e.message}\n`);
  process.exit(1);
});
