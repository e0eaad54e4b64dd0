import * as path from 'path';
import { interleaveRecords } from './interleave';
import { tempDir, writeFaceShard } from './test-shards';
import { decodeFaceRecord } from '@ffem/tfrecord';

const rec = (label: number) => ({ jpeg: Uint8Array.from([label]), label, x1: 0, y1: 0, x2: 1, y2: 1 });

describe('interleaveRecords', () => {
  it('reads shards round-robin and numbers the stream', async () => {
    const dir = tempDir('ffem-interleave-');
    const a = path.join(dir, 'a.tfrecord');
    const b = path.join(dir, 'b.tfrecord');
    const c = path.join(dir, 'c.tfrecord');
    await writeFaceShard(a, [0, 1, 2, 3].map(rec));
    await writeFaceShard(b, [10].map(rec));
    await writeFaceShard(c, [20, 21].map(rec));
    const got: [number, number, string, number][] = [];
    for await (const r of interleaveRecords([a, b, c])) {
      got.push([r.index, decodeFaceRecord(r.data).label, path.basename(r.file), r.fileIndex]);
    }
    expect(got).toEqual([
      [0, 0, 'a.tfrecord', 0],
      [1, 10, 'b.tfrecord', 0],
      [2, 20, 'c.tfrecord', 0],
      [3, 1, 'a.tfrecord', 1],
      [4, 21, 'c.tfrecord', 1],
      [5, 2, 'a.tfrecord', 2],
      [6, 3, 'a.tfrecord', 3],
    ]);
  });

  it('names the file when it cannot be read', async () => {
    const it = interleaveRecords(['/nonexistent/x.tfrecord']);
    await expect(it.next()).rejects.toThrow(/x\.tfrecord/);
  });
});
