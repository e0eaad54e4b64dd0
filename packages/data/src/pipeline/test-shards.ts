/**
 * Test/bench helper: writes small face TFRecord shards from LFW JPEGs (via @ffem/tfrecord).
 * Not part of the public API.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { encodeFaceRecord, TFRecordWriter, type FaceRecord } from '@ffem/tfrecord';

/** Writes `records` to `file` as one TFRecord shard. */
export async function writeFaceShard(file: string, records: readonly FaceRecord[]): Promise<void> {
  const w = await TFRecordWriter.open(file);
  for (const r of records) await w.write(encodeFaceRecord(r));
  await w.close();
}

/** The first `n` entries of an LFW-style `image_list.json` as face records (JPEG bytes read from `root`). */
export function lfwRecords(root: string, n: number): FaceRecord[] {
  const list = JSON.parse(fs.readFileSync(path.join(root, 'image_list.json'), 'utf8')) as Record<
    string,
    { label: number; x1: number; y1: number; x2: number; y2: number }
  >;
  return Object.entries(list)
    .slice(0, n)
    .map(([rel, b]) => ({ jpeg: fs.readFileSync(path.join(root, rel)), ...b }));
}

/** A fresh temporary folder under os.tmpdir(). */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
