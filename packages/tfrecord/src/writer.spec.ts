import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { sharedData } from '@ffem/testing';
import type { Compression } from './compression';
import { readTFRecords } from './reader';
import { TFRecordWriter } from './writer';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfrecord-writer-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Records of varied sizes, some larger than the batch used below, from a seeded generator. */
function records(n: number, seed = 1): Buffer[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, (_, i) => {
    const len = i % 17 === 0 ? 0 : Math.floor(rnd() * (i % 5 === 0 ? 20000 : 300));
    const b = Buffer.allocUnsafe(len);
    for (let j = 0; j < len; j++) b[j] = Math.floor(rnd() * 256);
    return b;
  });
}

async function readBack(file: string, compression?: Compression): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const r of readTFRecords(file, { compression })) out.push(Buffer.from(r.data));
  return out;
}

describe('TFRecordWriter', () => {
  it('writes TensorFlow framing byte for byte: rewriting flowers.tfrecord reproduces the file', async () => {
    const src = sharedData('tfrecord-fixtures', 'flowers.tfrecord');
    const out = path.join(dir, 'flowers-copy.tfrecord');
    const w = await TFRecordWriter.open(out, { batchBytes: 64 * 1024 }); // records up to 245 KB: both paths
    for await (const r of readTFRecords(src)) await w.write(r.data);
    await w.close();
    expect(Buffer.compare(fs.readFileSync(out), fs.readFileSync(src))).toBe(0);
  });

  it.each(['none', 'gzip', 'zlib'] as const)('round-trips records with compression %s', async (compression) => {
    const recs = records(300);
    const file = path.join(dir, `round-trip-${compression}.tfrecord`);
    const w = await TFRecordWriter.open(file, { compression, batchBytes: 8192 });
    for (const r of recs) await w.write(r);
    expect(w.count).toBe(300);
    expect(w.bytesWritten).toBe(recs.reduce((a, r) => a + r.length + 16, 0));
    await w.close();
    const back = await readBack(file, compression);
    expect(back.length).toBe(recs.length);
    back.forEach((b, i) => expect(Buffer.compare(b, recs[i])).toBe(0));
  });

  it('gzip and zlib files are whole-stream compressions of the plain file', async () => {
    const recs = records(50, 7);
    const files: Record<string, string> = {};
    for (const c of ['none', 'gzip', 'zlib'] as const) {
      files[c] = path.join(dir, `whole-${c}`);
      const w = await TFRecordWriter.open(files[c], { compression: c });
      for (const r of recs) await w.write(r);
      await w.close();
    }
    const plain = fs.readFileSync(files.none);
    expect(Buffer.compare(zlib.gunzipSync(fs.readFileSync(files.gzip)), plain)).toBe(0);
    expect(Buffer.compare(zlib.inflateSync(fs.readFileSync(files.zlib)), plain)).toBe(0);
    expect(fs.readFileSync(files.gzip).subarray(0, 2).toString('hex')).toBe('1f8b');
  });

  it('takes a zlib compression level (0: stored, larger) and rejects a bad one', async () => {
    const recs = records(40, 11).map((r) => Buffer.concat([r, Buffer.alloc(2000, 7)])); // compressible
    const sizes: number[] = [];
    for (const compressionLevel of [0, 1, 9]) {
      const file = path.join(dir, `level-${compressionLevel}.tfrecord.gz`);
      const w = await TFRecordWriter.open(file, { compressionLevel });
      for (const r of recs) await w.write(r);
      await w.close();
      sizes.push(fs.statSync(file).size);
      expect((await readBack(file)).length).toBe(40);
    }
    expect(sizes[0]).toBeGreaterThan(sizes[1]);
    expect(sizes[1]).toBeGreaterThanOrEqual(sizes[2]);
    await expect(TFRecordWriter.open(path.join(dir, 'l.gz'), { compressionLevel: 12 })).rejects.toThrow(/l\.gz: compressionLevel: expected an integer 0-9, got 12/);
  });

  it('chooses gzip from a .gz suffix', async () => {
    const file = path.join(dir, 'suffix.tfrecord.gz');
    const w = await TFRecordWriter.open(file);
    expect(w.compression).toBe('gzip');
    await w.write(Buffer.from('hello'));
    await w.close();
    expect((await readBack(file)).map(String)).toEqual(['hello']);
  });

  it('never shows a half-written file under the final name; abort leaves nothing', async () => {
    const file = path.join(dir, 'atomic.tfrecord');
    const w = await TFRecordWriter.open(file, { batchBytes: 4096 });
    for (const r of records(100)) await w.write(r);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(w.tmpFile)).toBe(true);
    await w.close();
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.existsSync(w.tmpFile)).toBe(false);

    const file2 = path.join(dir, 'aborted.tfrecord');
    const w2 = await TFRecordWriter.open(file2, { compression: 'gzip' });
    await w2.write(Buffer.alloc(100000, 1));
    await w2.abort();
    expect(fs.existsSync(file2)).toBe(false);
    expect(fs.existsSync(w2.tmpFile)).toBe(false);
    await expect(w2.write(Buffer.from('x'))).rejects.toThrow(/aborted\.tfrecord: writer is closed/);
  });

  it('keeps records in order when writes are not awaited one by one', async () => {
    const recs = records(200, 3);
    const file = path.join(dir, 'unawaited.tfrecord');
    const w = await TFRecordWriter.open(file, { batchBytes: 2048 });
    await Promise.all(recs.map((r) => w.write(r)));
    await w.close();
    const back = await readBack(file);
    expect(back.length).toBe(recs.length);
    back.forEach((b, i) => expect(Buffer.compare(b, recs[i])).toBe(0));
  });

  it('fails with the file name when the folder does not exist', async () => {
    await expect(TFRecordWriter.open(path.join(dir, 'no', 'such', 'x.tfrecord'))).rejects.toThrow(/x\.tfrecord/);
  });
});
