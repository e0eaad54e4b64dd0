/**
 * Where test images come from: a face TFRecord file (one subset per file, as RFW's races) or a
 * folder with an `image_list.json` (the original's format).
 */
import * as fs from 'fs';
import * as path from 'path';
import { readImageList } from '@ffem/data';
import { decodeFaceRecord, readTFRecords } from '@ffem/tfrecord';
import type { FaceImage } from './embed';

export interface Subset {
  name: string;
  /** The file or folder it was read from. */
  source: string;
  kind: 'tfrecord' | 'folder';
  count: number;
  images(): AsyncIterable<FaceImage>;
}

/** A face TFRecord file as a subset named after the file; image paths are `<file>#<record>`. */
export async function tfrecordSubset(file: string): Promise<Subset> {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such TFRecord file`);
  let count = 0;
  for await (const _ of readTFRecords(file, { verify: false })) count++;
  const base = path.basename(file).replace(/\.tfrecords?(\.gz|\.zlib)?$/, '');
  return {
    name: base,
    source: file,
    kind: 'tfrecord',
    count,
    async *images() {
      for await (const rec of readTFRecords(file, { copy: true })) {
        let r;
        try {
          r = decodeFaceRecord(rec.data);
        } catch (err) {
          throw new Error(`${file}: record ${rec.index} (offset ${rec.offset}): ${(err as Error).message}`);
        }
        yield { path: `${base}#${rec.index}`, label: r.label, box: { x1: r.x1, y1: r.y1, x2: r.x2, y2: r.y2 }, bytes: r.jpeg };
      }
    },
  };
}

/** A folder holding images and an `image_list.json`; image paths are the list's keys. */
export async function folderSubset(dir: string): Promise<Subset> {
  const list = path.join(dir, 'image_list.json');
  if (!fs.existsSync(list)) throw new Error(`${dir}: no image_list.json in the data folder`);
  const entries = await readImageList(list);
  return {
    name: path.basename(path.resolve(dir)),
    source: dir,
    kind: 'folder',
    count: entries.length,
    async *images() {
      for (const e of entries) {
        const file = path.join(dir, e.path);
        let bytes: Uint8Array;
        try {
          bytes = await fs.promises.readFile(file);
        } catch (err) {
          throw new Error(`${list}: ${e.path}: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`);
        }
        yield { path: e.path, label: e.label, box: { x1: e.x1, y1: e.y1, x2: e.x2, y2: e.y2 }, bytes };
      }
    },
  };
}
