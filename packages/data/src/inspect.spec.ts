import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sharedData } from '@ffem/testing';
import { formatInspectReport, inspectTFRecord } from './inspect';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inspect-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('inspectTFRecord', () => {
  it('describes cifar10_test.tfrecord: records, keys, types and label range', async () => {
    const file = sharedData('tfrecord-fixtures', 'cifar10_test.tfrecord');
    const r = await inspectTFRecord(file);
    expect([r.records, r.fileBytes, r.compression, r.crc.ok, r.notExamples]).toEqual([128, 290499, 'none', true, 0]);
    expect(r.payloadBytes).toBe(290499 - 128 * 16);
    expect(r.features).toEqual({
      image: { types: ['bytes'], records: 128, minValues: 1, maxValues: 1 },
      label: { types: ['int64'], records: 128, minValues: 1, maxValues: 1 },
      id: { types: ['bytes'], records: 128, minValues: 1, maxValues: 1 },
    });
    expect(r.label).toEqual({ min: 0, max: 9, distinct: 10 });
    const text = formatInspectReport(r);
    expect(text).toContain('records      128');
    expect(text).toContain('labels       0..9 (10 distinct)');
    expect(text).toContain('CRC          ok');
  });

  it('reads the gzip fixture: float features, no label key', async () => {
    const r = await inspectTFRecord(sharedData('tfrecord-fixtures', 'penguin_eval.tfrecord.gz'));
    expect([r.records, r.compression, r.payloadBytes, r.label]).toEqual([100, 'gzip', 13600, null]);
    expect(Object.keys(r.features).sort()).toEqual(['body_mass_g', 'culmen_depth_mm', 'culmen_length_mm', 'flipper_length_mm', 'species']);
    expect(r.features.body_mass_g.types).toEqual(['float']);
  });

  it('counts corrupt records and names them', async () => {
    const src = fs.readFileSync(sharedData('tfrecord-fixtures', 'flowers.tfrecord'));
    const len0 = Number(src.readBigUInt64LE(0));
    src[12 + 5] ^= 1; // record 0's data
    const file = path.join(dir, 'flowers-bad.tfrecord');
    fs.writeFileSync(file, src);
    const r = await inspectTFRecord(file);
    expect([r.records, r.crc.ok, r.crc.corrupt]).toEqual([24, false, 1]);
    expect(r.crc.errors).toEqual([expect.stringContaining(`${file}: record 0 at offset 0: data CRC mismatch (length ${len0}`)]);
    expect(r.label).toEqual({ min: 0, max: 4, distinct: 5 });
    expect(formatInspectReport(r)).toContain('1 corrupt record(s)');
  });
});
