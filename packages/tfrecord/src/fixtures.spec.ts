/**
 * The three TensorFlow-written files of ../shared/data/tfrecord-fixtures: counts, keys and values
 * as its README lists them (checked there with an independent parser).
 */
import { expectClose, sharedData } from '@ffem/testing';
import { decodeExample, type Feature } from './example';
import { readTFRecords } from './reader';

async function readAll(name: string): Promise<Record<string, Feature>[]> {
  const out: Record<string, Feature>[] = [];
  for await (const r of readTFRecords(sharedData('tfrecord-fixtures', name))) out.push(decodeExample(r.data));
  return out;
}

const int = (f: Feature): number => {
  if (!('int64List' in f) || f.int64List.length !== 1) throw new Error(`not one int64: ${JSON.stringify(Object.keys(f))}`);
  return Number(f.int64List[0]);
};
const bytes = (f: Feature): Uint8Array => {
  if (!('bytesList' in f) || f.bytesList.length !== 1) throw new Error('not one bytes value');
  return f.bytesList[0];
};
const float = (f: Feature): number => {
  if (!('floatList' in f) || f.floatList.length !== 1) throw new Error('not one float');
  return f.floatList[0];
};

describe('TensorFlow-written fixtures', () => {
  it('cifar10_test.tfrecord: 128 PNG records, label counts and first/last records', async () => {
    const recs = await readAll('cifar10_test.tfrecord');
    expect(recs).toHaveLength(128);
    const counts = new Array(10).fill(0);
    for (const r of recs) {
      expect(Object.keys(r).sort()).toEqual(['id', 'image', 'label']);
      counts[int(r.label)]++;
      expect(Buffer.from(bytes(r.image).subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a'); // PNG signature
    }
    expect(counts).toEqual([17, 15, 18, 12, 11, 16, 5, 11, 17, 6]);
    expect(Buffer.from(bytes(recs[0].id)).toString()).toBe('test_09933');
    expect(int(recs[0].label)).toBe(7);
    expect(bytes(recs[0].image).length).toBe(1992);
    expect(Buffer.from(bytes(recs[127].id)).toString()).toBe('test_07292');
    expect(int(recs[127].label)).toBe(5);
    expect(bytes(recs[127].image).length).toBe(2205);
  });

  it('flowers.tfrecord: 25 JPEG records, 5 per label in order, sizes of records 0 and 24', async () => {
    const recs = await readAll('flowers.tfrecord');
    expect(recs).toHaveLength(25);
    recs.forEach((r, i) => {
      expect(Object.keys(r).sort()).toEqual(['depth', 'height', 'image_raw', 'label', 'width']);
      expect(int(r.label)).toBe(Math.floor(i / 5));
      expect(int(r.depth)).toBe(3);
      expect(Buffer.from(bytes(r.image_raw).subarray(0, 2)).toString('hex')).toBe('ffd8'); // JPEG SOI
    });
    expect([int(recs[0].height), int(recs[0].width), bytes(recs[0].image_raw).length]).toEqual([216, 320, 22801]);
    expect([int(recs[24].height), int(recs[24].width), int(recs[24].label), bytes(recs[24].image_raw).length]).toEqual([
      261, 320, 4, 39201,
    ]);
  });

  it('penguin_eval.tfrecord.gz: 100 gzip records of 136 bytes, species counts, record 0 values', async () => {
    const sizes: number[] = [];
    const offsets: number[] = [];
    for await (const r of readTFRecords(sharedData('tfrecord-fixtures', 'penguin_eval.tfrecord.gz'))) {
      sizes.push(r.data.length);
      offsets.push(r.offset);
    }
    expect(sizes).toEqual(new Array(100).fill(136));
    // Offsets are in the uncompressed stream: 16 bytes of framing per record, 15,200 bytes in all.
    expect(offsets[99]).toBe(99 * 152);
    const recs = await readAll('penguin_eval.tfrecord.gz');
    const counts = [0, 0, 0];
    for (const r of recs) counts[int(r.species)]++;
    expect(counts).toEqual([47, 22, 31]);
    const r0 = recs[0];
    expect(int(r0.species)).toBe(0);
    // README values are given to 4 d.p.
    expectClose(
      [float(r0.body_mass_g), float(r0.culmen_depth_mm), float(r0.culmen_length_mm), float(r0.flipper_length_mm)],
      [0.2569, 0.5595, 0.2473, 0.1525],
      { atol: 5e-5, rtol: 0 },
      'penguin record 0',
    );
  });
});
