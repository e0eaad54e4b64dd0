import * as fs from 'fs';
import * as path from 'path';
import { sharedData } from '@ffem/testing';
import type { FaceRecord } from '@ffem/tfrecord';
import { loadFaceCrop } from '../face-transform';
import { createPipeline, type Batch, type PipelineOptions } from './pipeline';
import { lfwRecords, tempDir, writeFaceShard } from './test-shards';

// 23 LFW faces relabelled 0..22 (label = record id, so every record is identifiable in a batch),
// in two shards: A = ids 0..11, B = ids 12..22. Small output (16x16) keeps the tests fast.
const N = 23;
let dir: string;
let shardA: string;
let shardB: string;
let records: FaceRecord[];

beforeAll(async () => {
  dir = tempDir('ffem-pipeline-');
  records = lfwRecords(sharedData('lfw-deepfunneled-dev'), N).map((r, i) => ({ ...r, label: i }));
  shardA = path.join(dir, 'a.tfrecord');
  shardB = path.join(dir, 'b.tfrecord');
  await writeFaceShard(shardA, records.slice(0, 12));
  await writeFaceShard(shardB, records.slice(12));
});

const base = (o: Partial<PipelineOptions> = {}): PipelineOptions => ({
  files: [shardA, shardB],
  batchSize: 5,
  height: 16,
  width: 16,
  workers: 0,
  seed: 7,
  ...o,
});

async function all(p: ReturnType<typeof createPipeline>, epoch: number, startBatch = 0): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of p.epoch(epoch, { startBatch })) out.push(b);
  return out;
}

const labelsOf = (bs: Batch[]) => bs.flatMap((b) => Array.from(b.labels));

describe('createPipeline: epochs', () => {
  it('without shuffle: every record once, interleaved order, a smaller last batch', async () => {
    const p = createPipeline(base({ shuffle: false }));
    const bs = await all(p, 0);
    expect(bs.map((b) => b.size)).toEqual([5, 5, 5, 5, 3]);
    // round-robin over A (0..11) and B (12..22)
    const want: number[] = [];
    for (let i = 0; i < 12; i++) want.push(i, ...(i + 12 < N ? [i + 12] : []));
    expect(labelsOf(bs)).toEqual(want);
    expect(bs[4].images.length).toBe(3 * 16 * 16 * 3);
    expect(p.stats()).toMatchObject({ records: N, skipped: 0 });
  });

  it('with shuffle: every record exactly once, in another order each epoch; dropRemainder drops the tail', async () => {
    const p = createPipeline(base({ shuffleBuffer: 8 }));
    const e0 = labelsOf(await all(p, 0));
    const e1 = labelsOf(await all(p, 1));
    const ids = Array.from({ length: N }, (_, i) => i);
    expect([...e0].sort((a, b) => a - b)).toEqual(ids);
    expect([...e1].sort((a, b) => a - b)).toEqual(ids);
    expect(e0).not.toEqual(e1);
    const d = await all(createPipeline(base({ shuffleBuffer: 8, dropRemainder: true })), 0);
    expect(d.map((b) => b.size)).toEqual([5, 5, 5, 5]);
    const l = labelsOf(d);
    expect(new Set(l).size).toBe(20);
    expect(l).toEqual(e0.slice(0, 20));
  });

  it('delivers the test transform exactly when augment is off', async () => {
    const bs = await all(createPipeline(base({ shuffle: false, batchSize: 4 })), 0);
    const b = bs[0];
    for (let k = 0; k < b.size; k++) {
      const r = records[b.labels[k]];
      const want = await loadFaceCrop(r.jpeg, r, 16, 16);
      expect(b.images.subarray(k * 768, (k + 1) * 768)).toEqual(want);
    }
  });
});

describe('createPipeline: determinism', () => {
  it('same seed -> identical batches; another seed -> different ones', async () => {
    const a = await all(createPipeline(base({ augment: true })), 3);
    const b = await all(createPipeline(base({ augment: true })), 3);
    const c = await all(createPipeline(base({ augment: true, seed: 8 })), 3);
    expect(labelsOf(a)).toEqual(labelsOf(b));
    a.forEach((x, i) => expect(x.images).toEqual(b[i].images));
    expect(labelsOf(a)).not.toEqual(labelsOf(c));
  });

  it('worker threads give exactly what the main thread gives (scheduling does not matter)', async () => {
    const main = await all(createPipeline(base({ augment: true })), 2);
    const p = createPipeline(base({ augment: true, workers: 2, prefetch: 1 }));
    try {
      const w = await all(p, 2);
      expect(labelsOf(w)).toEqual(labelsOf(main));
      w.forEach((x, i) => expect(x.images).toEqual(main[i].images));
    } finally {
      await p.close();
    }
  });

  it('augmented batches stay in [0, 1] and differ from the plain crops', async () => {
    const aug = await all(createPipeline(base({ augment: true, shuffle: false })), 0);
    const plain = await all(createPipeline(base({ shuffle: false })), 0);
    let lo = Infinity;
    let hi = -Infinity;
    for (const b of aug) for (const v of b.images) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(labelsOf(aug)).toEqual(labelsOf(plain));
    expect(aug[0].images).not.toEqual(plain[0].images);
  });

  it('startBatch resumes with exactly the tail of the full epoch', async () => {
    const p = createPipeline(base({ augment: true, shuffleBuffer: 6 }));
    const full = await all(p, 4);
    for (const k of [1, 3, 4]) {
      const tail = await all(p, 4, k);
      expect(tail.length).toBe(full.length - k);
      tail.forEach((b, i) => {
        expect(b.labels).toEqual(full[k + i].labels);
        expect(b.images).toEqual(full[k + i].images);
      });
    }
    expect(await all(p, 4, 5)).toEqual([]);
  });
});

describe('createPipeline: backpressure', () => {
  it('reads ahead only a bounded window of records while the consumer holds a batch', async () => {
    // window = max(prefetch * batchSize, 8 * workers) = 8; no shuffle buffer
    const p = createPipeline(base({ shuffle: false, batchSize: 2, prefetch: 1, workers: 1 }));
    try {
      const it = p.epoch(0);
      await it.next();
      const read = p.stats().read;
      expect(read).toBeGreaterThanOrEqual(2);
      expect(read).toBeLessThanOrEqual(2 + 8);
      await new Promise((r) => setTimeout(r, 200));
      expect(p.stats().read).toBe(read); // nothing more is read until the consumer asks
      await it.return?.(undefined);
    } finally {
      await p.close();
    }
  });

  it('with shuffle holds at most the shuffle buffer on top of that window', async () => {
    const p = createPipeline(base({ shuffleBuffer: 4, batchSize: 2, prefetch: 1 }));
    const it = p.epoch(0);
    await it.next();
    // 2 delivered + window max(1 * 2, 8 * 0) = 2 in flight + 4 in the buffer + 1 being swapped in
    expect(p.stats().read).toBeLessThanOrEqual(2 + 2 + 4 + 1);
    await it.return?.(undefined);
  });
});

describe('createPipeline: bad records', () => {
  it('skips an undecodable JPEG with a warning and counts it', async () => {
    const bad = path.join(dir, 'bad.tfrecord');
    const good = records.slice(0, 6);
    await writeFaceShard(bad, [...good.slice(0, 3), { ...good[0], jpeg: Buffer.from('definitely not a jpeg'), label: 99 }, ...good.slice(3)]);
    const warnings: string[] = [];
    const p = createPipeline(base({ files: [bad], batchSize: 4, shuffle: false, augment: true, onWarning: (m) => warnings.push(m) }));
    const bs = await all(p, 0);
    expect(labelsOf(bs)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(bs.map((b) => b.size)).toEqual([4, 2]);
    expect(p.stats()).toMatchObject({ records: 6, skipped: 1, skippedReasons: { 'undecodable-image': 1 } });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/bad\.tfrecord: record 3 \(offset \d+\): decodeImage: cannot decode.*\(skipped\)/);
    // resuming after the bad record still lines up with the full epoch
    expect(labelsOf(await all(p, 0, 1))).toEqual([4, 5]);
  });

  it('fails on a record with a bad CRC, or skips and counts it with skipCorruptRecords', async () => {
    const f = path.join(dir, 'crc.tfrecord');
    await writeFaceShard(f, records.slice(0, 3));
    const bytes = fs.readFileSync(f);
    const len0 = Number(bytes.readBigUInt64LE(0));
    const second = 12 + len0 + 4; // header (length + CRC), data, data CRC
    bytes[second + 12 + 100] ^= 0xff; // a byte inside the second record's data
    fs.writeFileSync(f, bytes);
    await expect(all(createPipeline(base({ files: [f], shuffle: false })), 0)).rejects.toThrow(/crc\.tfrecord/);
    const warnings: string[] = [];
    const p = createPipeline(base({ files: [f], shuffle: false, skipCorruptRecords: true, onWarning: (m) => warnings.push(m) }));
    expect(labelsOf(await all(p, 0))).toEqual([0, 2]);
    expect(p.stats()).toMatchObject({ skipped: 1, skippedReasons: { 'corrupt-record': 1 } });
    expect(warnings).toHaveLength(1);
  });

  it('skips a record that is not a face Example', async () => {
    const f = path.join(dir, 'not-face.tfrecord');
    const { TFRecordWriter } = await import('@ffem/tfrecord');
    const w = await TFRecordWriter.open(f);
    await w.write(Uint8Array.from([0xff, 0xff, 0xff]));
    await w.close();
    const warnings: string[] = [];
    const p = createPipeline(base({ files: [f, shardA], shuffle: false, onWarning: (m) => warnings.push(m) }));
    expect(labelsOf(await all(p, 0))).toHaveLength(12);
    expect(p.stats().skippedReasons).toEqual({ 'bad-example': 1 });
    expect(warnings).toHaveLength(1);
  });

  it('stops warning after maxWarnings but keeps counting', async () => {
    const f = path.join(dir, 'many-bad.tfrecord');
    await writeFaceShard(f, Array.from({ length: 5 }, (_, i) => ({ ...records[0], jpeg: Buffer.from(`bad ${i}`), label: i })));
    const warnings: string[] = [];
    const p = createPipeline(base({ files: [f], shuffle: false, maxWarnings: 2, onWarning: (m) => warnings.push(m) }));
    expect(await all(p, 0)).toEqual([]);
    expect(p.stats()).toMatchObject({ records: 0, skipped: 5 });
    expect(warnings).toHaveLength(3);
    expect(warnings[2]).toMatch(/further ones are only counted/);
  });
});

describe('createPipeline: options', () => {
  it('rejects bad options naming them', () => {
    expect(() => createPipeline(base({ files: [] }))).toThrow(/files/);
    expect(() => createPipeline(base({ batchSize: 0 }))).toThrow(/batchSize/);
    expect(() => createPipeline(base({ workers: -1 }))).toThrow(/workers/);
    expect(() => createPipeline(base({ augment: { nope: 1 } as never }))).toThrow(/unknown option 'nope'/);
  });

  it('fails with the file name when a shard is missing', async () => {
    const p = createPipeline(base({ files: [path.join(dir, 'missing.tfrecord')] }));
    await expect(all(p, 0)).rejects.toThrow(/missing\.tfrecord/);
  });
});
