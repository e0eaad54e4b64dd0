import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { sharedData } from '@ffem/testing';
import { TFRecordCorruptError } from './corrupt-error';
import { frameRecord } from './framing';
import type { ByteSource } from './byte-source';
import { crc32cImplementation, NATIVE_CRC32C_PATH } from './crc32c';
import { readTFRecords, readTFRecordsFrom, type ReadOptions, type ReadStats, type TFRecord } from './reader';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfrecord-reader-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function collect(file: string, opts?: ReadOptions): Promise<TFRecord[]> {
  const out: TFRecord[] = [];
  for await (const r of readTFRecords(file, opts)) out.push(r);
  return out;
}

/** A copy of a fixture under the temp dir, optionally changed. */
function copyOf(name: string, change?: (b: Buffer) => Buffer): string {
  const src = fs.readFileSync(sharedData('tfrecord-fixtures', name));
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
  fs.writeFileSync(file, change ? change(Buffer.from(src)) : src);
  return file;
}

/** [offset, length] of each record of a plain TFRecord buffer, parsed independently of the reader. */
function layout(b: Buffer): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let p = 0; p < b.length; ) {
    const len = Number(b.readBigUInt64LE(p));
    out.push([p, len]);
    p += 16 + len;
  }
  return out;
}

const flowers = () => fs.readFileSync(sharedData('tfrecord-fixtures', 'flowers.tfrecord'));

/** Whether `native/build.mjs` (run by `npm ci`) built the addon, which the mapping needs. */
const addonBuilt = (): boolean => {
  const file = path.join(path.dirname(NATIVE_CRC32C_PATH), 'status.json');
  if (!fs.existsSync(file)) throw new Error(`${file} missing: run \`npm ci\` or \`node packages/tfrecord/native/build.mjs\``);
  return JSON.parse(fs.readFileSync(file, 'utf8')).built === true;
};

/** 3,000 records of 0 B to 24 KB (some larger than a quarter chunk), framed, in one buffer. */
function manyRecords(): { bytes: Buffer; lay: Array<[number, number]> } {
  let seed = 7;
  const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const frames: Buffer[] = [];
  for (let i = 0; i < 3000; i++) {
    const n = rnd() < 0.03 ? Math.floor(rnd() * 24000) : Math.floor(rnd() * 2500);
    const data = Buffer.alloc(n);
    for (let j = 0; j < n; j += 97) data[j] = (i + j) & 255;
    frames.push(frameRecord(data));
  }
  const bytes = Buffer.concat(frames);
  return { bytes, lay: layout(bytes) };
}

/** Everything a reader run produces: records (index, offset, bytes) and corruption reports, or the error. */
async function outcome(file: string, opts: ReadOptions): Promise<unknown> {
  const recs: Array<[number, number, string]> = [];
  const reports: string[] = [];
  try {
    for await (const r of readTFRecords(file, { ...opts, onCorrupt: (e) => reports.push(e.message) })) {
      recs.push([r.index, r.offset, r.data.toString('base64')]);
    }
    return { recs, reports };
  } catch (e) {
    return { recs, reports, error: (e as Error).message };
  }
}

const newStats = (): ReadStats => ({ checkedOffThread: 0, checkedOnThread: 0 });

describe('readTFRecords', () => {
  it('reports each record with its index and header offset', async () => {
    const recs = await collect(sharedData('tfrecord-fixtures', 'flowers.tfrecord'));
    expect(recs.map((r) => [r.offset, r.data.length])).toEqual(layout(flowers()));
    expect(recs.map((r) => r.index)).toEqual(recs.map((_, i) => i));
  });

  it('gives the same records for any chunk size, including chunks smaller than a header', async () => {
    const file = sharedData('tfrecord-fixtures', 'cifar10_test.tfrecord');
    const ref = await collect(file);
    for (const chunkBytes of [5, 100, 4096, 70001]) {
      const got = await collect(file, { chunkBytes });
      expect(got.length).toBe(ref.length);
      got.forEach((r, i) => {
        expect(r.offset).toBe(ref[i].offset);
        expect(Buffer.compare(r.data, ref[i].data)).toBe(0);
      });
    }
  });

  it('keeps records valid after iteration moves on (views into fresh chunks) and copies on request', async () => {
    const file = sharedData('tfrecord-fixtures', 'cifar10_test.tfrecord');
    const raw = fs.readFileSync(file);
    for (const copy of [false, true]) {
      const recs = await collect(file, { chunkBytes: 8192, copy });
      for (const r of recs) expect(Buffer.compare(r.data, raw.subarray(r.offset + 12, r.offset + 12 + r.data.length))).toBe(0);
    }
  });

  it('with reuse, gives the same bytes to a consumer that uses each record at once', async () => {
    const file = sharedData('tfrecord-fixtures', 'flowers.tfrecord');
    const raw = fs.readFileSync(file);
    for (const chunkBytes of [1000, 64 * 1024, 300000]) {
      let n = 0;
      for await (const r of readTFRecords(file, { reuse: true, chunkBytes })) {
        expect(Buffer.compare(r.data, raw.subarray(r.offset + 12, r.offset + 12 + r.data.length))).toBe(0);
        n++;
      }
      expect(n).toBe(25);
    }
  });

  it('detects compression by suffix and by option', async () => {
    const gz = sharedData('tfrecord-fixtures', 'penguin_eval.tfrecord.gz');
    const plain = path.join(dir, 'penguin.tfrecord');
    fs.writeFileSync(plain, zlib.gunzipSync(fs.readFileSync(gz)));
    const renamed = path.join(dir, 'penguin-gzip-without-suffix');
    fs.copyFileSync(gz, renamed);
    const a = await collect(gz);
    const b = await collect(plain);
    const c = await collect(renamed, { compression: 'gzip' });
    expect(a.length).toBe(100);
    expect(b.map((r) => r.data.toString('hex'))).toEqual(a.map((r) => r.data.toString('hex')));
    expect(c.map((r) => r.data.toString('hex'))).toEqual(a.map((r) => r.data.toString('hex')));
    await expect(collect(renamed)).rejects.toThrow(/record 0 at offset 0: length CRC mismatch/);
  });

  it('reads ZLIB streams', async () => {
    const file = path.join(dir, 'flowers.tfrecord.zlib');
    fs.writeFileSync(file, zlib.deflateSync(flowers()));
    expect((await collect(file)).length).toBe(25);
  });

  it('returns nothing for an empty file', async () => {
    const file = path.join(dir, 'empty.tfrecord');
    fs.writeFileSync(file, Buffer.alloc(0));
    expect(await collect(file)).toEqual([]);
  });

  it('stops cleanly when the consumer breaks early', async () => {
    for (const name of ['flowers.tfrecord', 'penguin_eval.tfrecord.gz']) {
      const seen: number[] = [];
      for await (const r of readTFRecords(sharedData('tfrecord-fixtures', name))) {
        seen.push(r.index);
        if (seen.length === 3) break;
      }
      expect(seen).toEqual([0, 1, 2]);
    }
  });

  it('names the file of a failing read', async () => {
    await expect(collect(dir, { compression: 'none' })).rejects.toThrow(`${dir}: read failed at offset 0: EISDIR`);
  });

  it('names the file when it does not exist', async () => {
    await expect(collect(path.join(dir, 'missing.tfrecord'))).rejects.toThrow(/missing\.tfrecord/);
  });
});

describe('readTFRecords on corrupt input', () => {
  const lay = layout(flowers());

  it('throws on a flipped data byte, naming file, record index and offset', async () => {
    const [off, len] = lay[7];
    const file = copyOf('flowers.tfrecord', (b) => {
      b[off + 12 + Math.floor(len / 2)] ^= 0x01;
      return b;
    });
    const err = await collect(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TFRecordCorruptError);
    const e = err as TFRecordCorruptError;
    expect([e.file, e.index, e.offset, e.kind]).toEqual([file, 7, off, 'data-crc']);
    expect(e.message).toContain(`${file}: record 7 at offset ${off}: data CRC mismatch`);
  });

  it('throws on a flipped length byte and on a flipped stored CRC', async () => {
    const [off] = lay[3];
    const f1 = copyOf('flowers.tfrecord', (b) => {
      b[off + 1] ^= 0x40;
      return b;
    });
    await expect(collect(f1)).rejects.toThrow(`${f1}: record 3 at offset ${off}: length CRC mismatch`);
    const [off2, len2] = lay[24];
    const f2 = copyOf('flowers.tfrecord', (b) => {
      b[off2 + 12 + len2 + 2] ^= 0x10;
      return b;
    });
    await expect(collect(f2)).rejects.toThrow(`${f2}: record 24 at offset ${off2}: data CRC mismatch`);
  });

  it('reads corrupt data without complaint when verify is false', async () => {
    const [off, len] = lay[7];
    const file = copyOf('flowers.tfrecord', (b) => {
      b[off + 12 + len - 1] ^= 0xff;
      return b;
    });
    expect((await collect(file, { verify: false })).length).toBe(25);
  });

  it('throws on truncation inside the data, inside the header, and inside the footer', async () => {
    const [off, len] = lay[20];
    for (const [cut, what] of [
      [off + 12 + 100, /truncated record/],
      [off + 5, /truncated header: 5 of 12 bytes/],
      [off + 12 + len + 2, /truncated record/],
    ] as const) {
      const file = copyOf('flowers.tfrecord', (b) => b.subarray(0, cut));
      const got: number[] = [];
      const err = await (async () => {
        for await (const r of readTFRecords(file)) got.push(r.index);
      })().catch((e: unknown) => e);
      expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i)); // everything before is delivered
      expect((err as Error).message).toMatch(new RegExp(`record 20 at offset ${off}: ${what.source}`));
    }
  });

  it('throws on a truncated gzip stream with the uncompressed offset', async () => {
    const gz = fs.readFileSync(sharedData('tfrecord-fixtures', 'penguin_eval.tfrecord.gz'));
    const file = path.join(dir, 'cut.tfrecord.gz');
    fs.writeFileSync(file, gz.subarray(0, gz.length - 40));
    await expect(collect(file)).rejects.toThrow(/cut\.tfrecord\.gz: record \d+ at offset \d+: (compressed stream: unexpected end of file|truncated)/);
  });

  it('skipCorrupt skips records with bad data CRCs and counts them', async () => {
    const bad = [2, 9, 17];
    const file = copyOf('flowers.tfrecord', (b) => {
      for (const i of bad) b[lay[i][0] + 12 + 10] ^= 0x80;
      return b;
    });
    const errs: TFRecordCorruptError[] = [];
    const recs = await collect(file, { skipCorrupt: true, onCorrupt: (e) => errs.push(e) });
    expect(recs.map((r) => r.index)).toEqual(lay.map((_, i) => i).filter((i) => !bad.includes(i)));
    expect(errs.map((e) => [e.index, e.offset, e.kind])).toEqual(bad.map((i) => [i, lay[i][0], 'data-crc']));
  });

  it('skipCorrupt resynchronises after a bad length CRC', async () => {
    const file = copyOf('flowers.tfrecord', (b) => {
      b[lay[5][0]] ^= 0x01;
      return b;
    });
    const errs: TFRecordCorruptError[] = [];
    const recs = await collect(file, { skipCorrupt: true, onCorrupt: (e) => errs.push(e) });
    expect(errs.map((e) => [e.index, e.offset, e.kind])).toEqual([[5, lay[5][0], 'length-crc']]);
    expect(recs.map((r) => r.offset)).toEqual(lay.filter((_, i) => i !== 5).map(([o]) => o));
  });

  it('skipCorrupt stops at a truncated tail and reports it once', async () => {
    const file = copyOf('flowers.tfrecord', (b) => b.subarray(0, lay[24][0] + 30));
    const errs: TFRecordCorruptError[] = [];
    const recs = await collect(file, { skipCorrupt: true, onCorrupt: (e) => errs.push(e) });
    expect(recs.length).toBe(24);
    expect(errs.map((e) => [e.index, e.kind])).toEqual([[24, 'truncated']]);
  });

  it('refuses an absurd record length when verification is off', async () => {
    const file = path.join(dir, 'huge.tfrecord');
    const rec = frameRecord(Buffer.from('x'));
    rec.writeUInt32LE(0xffff, 4); // length ~ 2^48
    fs.writeFileSync(file, rec);
    await expect(collect(file, { verify: false })).rejects.toThrow(/record 0 at offset 0: record length \d+ exceeds/);
  });
});

describe('readTFRecords past 4 GiB', () => {
  it('keeps exact offsets beyond 2^32 (a synthetic 4.4 GB stream; only headers are written)', async () => {
    // Records of L bytes every P = L + 16 bytes. The source writes the 12 header bytes of each
    // record that falls in a read and leaves the data untouched (verify: false), so no 4 GB of
    // memory traffic is needed to walk 4 GB of offsets.
    const L = 3 * 2 ** 20 + 5;
    const P = L + 16;
    const count = Math.ceil((2 ** 32 + 2 ** 27) / P);
    const header = frameRecord(Buffer.alloc(0)).subarray(0, 12);
    header.writeUInt32LE(L, 0);
    let pos = 0;
    const end = count * P;
    const src: ByteSource = {
      async read(buf, off, len) {
        const n = Math.min(len, end - pos);
        for (let s = Math.floor(pos / P) * P; s < pos + n; s += P) {
          for (let k = 0; k < 12; k++) if (s + k >= pos && s + k < pos + n) buf[off + s + k - pos] = header[k];
        }
        pos += n;
        return n;
      },
      close: async () => undefined,
    };
    let n = 0;
    let last: TFRecord | null = null;
    for await (const r of readTFRecordsFrom(src, 'synthetic', 'none', { verify: false, reuse: true })) {
      expect(r.offset).toBe(n * P);
      expect(r.data.length).toBe(L);
      last = r;
      n++;
    }
    expect(n).toBe(count);
    expect(last!.offset).toBeGreaterThan(2 ** 32);
  });
});


describe('readTFRecords checking frames off the main thread', () => {
  const many = manyRecords();

  it('checks nearly every record on the thread pool where the addon is built, and yields the same records', async () => {
    const file = path.join(dir, 'many.tfrecord');
    fs.writeFileSync(file, many.bytes);
    for (const chunkBytes of [4096, 32 * 1024, 1 << 20]) {
      const stats = { checkedOffThread: 0, checkedOnThread: 0 };
      const off = await outcome(file, { chunkBytes, stats });
      const on = await outcome(file, { chunkBytes, offThread: false });
      expect(off).toEqual(on);
      expect((on as { recs: unknown[] }).recs.length).toBe(3000);
      expect(stats.checkedOffThread + stats.checkedOnThread).toBe(3000);
      // Only records that straddle two chunks are checked on the iterating thread.
      if (crc32cImplementation !== 'ffem-sse42') expect(stats.checkedOffThread).toBe(0);
      // With chunks much larger than records, only those that straddle two chunks are left to the iterating thread.
      else if (chunkBytes >= 32 * 1024) expect(stats.checkedOnThread).toBeLessThanOrEqual(Math.ceil(many.bytes.length / chunkBytes) + 60);
      else expect(stats.checkedOffThread).toBeGreaterThan(0);
    }
  });

  it('finds the same corruption, at the same record and offset, as checking on the iterating thread', async () => {
    const cases: Array<[string, (b: Buffer) => void]> = [
      ['data byte in a late chunk', (b) => (b[many.lay[2500][0] + 12 + Math.floor(many.lay[2500][1] / 2)] ^= 1)],
      ['length byte', (b) => (b[many.lay[1234][0] + 2] ^= 0x20)],
      ['stored data CRC', (b) => (b[many.lay[777][0] + 12 + many.lay[777][1] + 1] ^= 4)],
      ['two records in one chunk', (b) => {
        b[many.lay[1500][0] + 13] ^= 8;
        b[many.lay[1503][0] + 14] ^= 8;
      }],
      ['garbage over three headers', (b) => b.fill(0x5a, many.lay[2000][0], many.lay[2003][0] + 6)],
    ];
    for (const [what, corrupt] of cases) {
      const bytes = Buffer.from(many.bytes);
      corrupt(bytes);
      const file = path.join(dir, `corrupt-${what.replace(/ /g, '-')}.tfrecord`);
      fs.writeFileSync(file, bytes);
      for (const skipCorrupt of [false, true]) {
        for (const opts of [{ chunkBytes: 16 * 1024 }, { chunkBytes: 64 * 1024, reuse: true }]) {
          const off = await outcome(file, { ...opts, skipCorrupt });
          const on = await outcome(file, { ...opts, skipCorrupt, offThread: false });
          expect([what, skipCorrupt, off]).toEqual([what, skipCorrupt, on]);
          expect(JSON.stringify(on)).toMatch(/CRC mismatch/);
        }
      }
    }
  });
});

describe('readTFRecords mapping plain files (the default where the addon is built)', () => {
  const many = manyRecords();
  let manyFile: string;
  beforeAll(() => {
    manyFile = path.join(dir, 'many-mapped.tfrecord');
    fs.writeFileSync(manyFile, many.bytes);
  });

  it('maps in the default mode, and reads with mmap: false, FFEM_TFRECORD_MMAP=0 or a compressed file', async () => {
    const stats = newStats();
    const recs = await collect(manyFile, { stats });
    expect(recs.length).toBe(3000);
    if (addonBuilt()) {
      expect(stats.mappedChunks).toBe(Math.ceil(many.bytes.length / (4 << 20)));
      // Even the records that straddle two chunks are checked off the main thread.
      if (crc32cImplementation === 'ffem-sse42') expect([stats.checkedOffThread, stats.checkedOnThread]).toEqual([3000, 0]);
    } else {
      expect(stats.mappedChunks ?? 0).toBe(0);
    }
    const off = newStats();
    await collect(manyFile, { stats: off, mmap: false });
    expect(off.mappedChunks ?? 0).toBe(0);
    const env = newStats();
    process.env.FFEM_TFRECORD_MMAP = '0';
    try {
      await collect(manyFile, { stats: env });
    } finally {
      delete process.env.FFEM_TFRECORD_MMAP;
    }
    expect(env.mappedChunks ?? 0).toBe(0);
    const gz = newStats();
    expect((await collect(sharedData('tfrecord-fixtures', 'penguin_eval.tfrecord.gz'), { stats: gz })).length).toBe(100);
    expect(gz.mappedChunks ?? 0).toBe(0);
  });

  it('gives the same records as reading, in every mode and for any chunk size', async () => {
    for (const chunkBytes of [1000, 16 * 1024, undefined]) {
      for (const mode of [{}, { reuse: true }, { copy: true }, { verify: false }, { offThread: false }]) {
        const stats = newStats();
        const mapped = await outcome(manyFile, { ...mode, chunkBytes, stats });
        const read = await outcome(manyFile, { ...mode, chunkBytes, mmap: false });
        expect([chunkBytes, mode, mapped]).toEqual([chunkBytes, mode, read]);
        if (addonBuilt()) expect(stats.mappedChunks).toBeGreaterThan(0);
      }
    }
  });

  it('keeps records valid after the iteration has moved on and their mappings are behind it', async () => {
    const recs = await collect(manyFile, { chunkBytes: 8192 });
    for (let k = 0; k < 3; k++) await collect(manyFile, { chunkBytes: 8192 }); // more mappings come and go
    for (const r of recs) expect(Buffer.compare(r.data, many.bytes.subarray(r.offset + 12, r.offset + 12 + r.data.length))).toBe(0);
  });

  it('finds the same corruption, at the same record and offset, as reading and checking on the iterating thread', async () => {
    const lay = many.lay;
    const cases: Array<[string, (b: Buffer) => Buffer]> = [
      ['data byte', (b) => ((b[lay[2500][0] + 12 + Math.floor(lay[2500][1] / 2)] ^= 1), b)],
      ['length byte', (b) => ((b[lay[1234][0] + 2] ^= 0x20), b)],
      ['length CRC', (b) => ((b[lay[1000][0] + 9] ^= 0x02), b)],
      ['stored data CRC', (b) => ((b[lay[777][0] + 12 + lay[777][1] + 1] ^= 4), b)],
      ['two records in one chunk', (b) => ((b[lay[1500][0] + 13] ^= 8), (b[lay[1503][0] + 14] ^= 8), b)],
      ['garbage over three headers', (b) => b.fill(0x5a, lay[2000][0], lay[2003][0] + 6)],
      ['truncated inside a record', (b) => b.subarray(0, lay[2999][0] + 100)],
      ['truncated inside a header', (b) => b.subarray(0, lay[2999][0] + 5)],
      ['too large a length, verify off', (b) => (b.writeUInt32LE(0xffff, lay[2222][0] + 4), b)],
    ];
    for (const [what, corrupt] of cases) {
      const file = path.join(dir, `mapped-corrupt-${what.replace(/ /g, '-')}.tfrecord`);
      fs.writeFileSync(file, corrupt(Buffer.from(many.bytes)));
      const verify = !what.includes('verify off');
      for (const skipCorrupt of [false, true]) {
        for (const opts of [{ chunkBytes: 16 * 1024 }, { chunkBytes: 64 * 1024, reuse: true }, {}]) {
          const stats = newStats();
          const mapped = await outcome(file, { ...opts, verify, skipCorrupt, stats });
          const read = await outcome(file, { ...opts, verify, skipCorrupt, mmap: false, offThread: false });
          expect([what, skipCorrupt, opts, mapped]).toEqual([what, skipCorrupt, opts, read]);
          expect(JSON.stringify(read)).toMatch(/CRC mismatch|truncated|exceeds/);
          if (addonBuilt()) expect(stats.mappedChunks).toBeGreaterThan(0);
        }
      }
    }
  });

  it('follows a file that grows or shrinks while it is read, as reading does', async () => {
    const cut = many.lay[1500][0] + 7; // inside a header
    const end = many.lay[2600][0] + 100; // inside a record
    for (const change of ['grow', 'shrink'] as const) {
      const run = async (mmap: boolean): Promise<unknown> => {
        const file = path.join(dir, `${change}-${mmap}.tfrecord`);
        fs.writeFileSync(file, change === 'grow' ? many.bytes.subarray(0, cut) : many.bytes);
        const recs: Array<[number, number, number]> = [];
        const stats = newStats();
        try {
          for await (const r of readTFRecords(file, { chunkBytes: 16 * 1024, mmap, stats })) {
            // After the first record, the reader has mapped (or read) only the first chunks.
            if (r.index === 0) {
              if (change === 'grow') fs.appendFileSync(file, many.bytes.subarray(cut, end));
              else fs.truncateSync(file, end);
            }
            recs.push([r.index, r.offset, r.data.length]);
          }
          return { recs };
        } catch (e) {
          return { recs, error: (e as Error).message.replace(file, 'FILE') };
        } finally {
          if (mmap && addonBuilt()) expect(stats.mappedChunks).toBeGreaterThan(0);
        }
      };
      const mapped = await run(true);
      expect(mapped).toEqual(await run(false));
      expect((mapped as { recs: unknown[] }).recs.length).toBe(2600);
      expect((mapped as { error: string }).error).toMatch(/record 2600 at offset \d+: truncated record/);
    }
  });

  it('reads the chunks instead where a mapping fails', async () => {
    let reader!: typeof import('./reader');
    jest.isolateModules(() => {
      jest.doMock('./crc32c', () => ({ ...jest.requireActual('./crc32c'), mapFileNative: () => Promise.reject(new Error('mmap failed: No such device')) }));
      reader = require('./reader');
    });
    const stats = newStats();
    const got: Array<[number, number, string]> = [];
    for await (const r of reader.readTFRecords(manyFile, { chunkBytes: 64 * 1024, stats })) got.push([r.index, r.offset, r.data.toString('base64')]);
    expect({ recs: got, reports: [] }).toEqual(await outcome(manyFile, { chunkBytes: 64 * 1024, mmap: false }));
    expect(stats.mappedChunks ?? 0).toBe(0);
    jest.dontMock('./crc32c');
  });

  it('maps exactly the bytes asked for, and releases pages only of its own mappings (the addon)', async () => {
    if (!addonBuilt()) return;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addon = require(NATIVE_CRC32C_PATH) as {
      mapFile(fd: number, offset: number, length: number): Promise<Buffer>;
      releasePages(mapping: Buffer, from: number, to: number): void;
    };
    const fh = await fs.promises.open(manyFile, 'r');
    try {
      const m = await addon.mapFile(fh.fd, 12345, 100000);
      expect(Buffer.compare(m, many.bytes.subarray(12345, 112345))).toBe(0);
      addon.releasePages(m, 0, m.length); // the bytes stay readable: the pages come back on access
      await new Promise((r) => setTimeout(r, 20));
      expect(Buffer.compare(m, many.bytes.subarray(12345, 112345))).toBe(0);
      expect(() => addon.releasePages(Buffer.alloc(1 << 16), 0, 1 << 16)).toThrow(/releasePages: expected \(a Buffer made by mapFile/);
      expect(() => addon.releasePages(m, 0, m.length + 1)).toThrow(/releasePages: need 0 <= from <= to <= length/);
      await expect(addon.mapFile(fh.fd, many.bytes.length - 10, 11)).rejects.toThrow('the file is shorter than the range to map');
      expect(() => addon.mapFile(fh.fd, 0, 0)).toThrow(/need fd >= 0, offset >= 0 and length > 0/);
    } finally {
      await fh.close();
    }
  });

  it('hands out records in order to next() calls made without waiting, and stops on return()', async () => {
    const it = readTFRecords(manyFile, { chunkBytes: 4096 });
    const first = await Promise.all(Array.from({ length: 50 }, () => it.next()));
    expect(first.map((r) => (r.done ? -1 : r.value.index))).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(first.map((r) => (r.done ? -1 : r.value.offset))).toEqual(many.lay.slice(0, 50).map(([o]) => o));
    expect(await it.return!()).toEqual({ value: undefined, done: true });
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });
});
