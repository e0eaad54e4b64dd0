import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readTFRecords } from '@ffem/tfrecord';
import { decodeEvent, encodeEvent, readEvents, TensorBoardWriter } from './tensorboard';

describe('encodeEvent', () => {
  it('writes the Event / Summary / Value wire format byte for byte', () => {
    // Hand-derived from the protobuf encoding rules (tensorflow/core/util/event.proto, summary.proto):
    // 09 <double 1.5> | 10 03 (step 3) | 2a 0a (summary, 10 bytes) = 0a 08 (value, 8 bytes) = 0a 01 'a' 15 <float 2>
    const want = Buffer.from('09000000000000f83f10032a0a0a080a016115' + '00000040', 'hex');
    expect(encodeEvent({ wallTime: 1.5, step: 3, scalars: [{ tag: 'a', value: 2 }] }).toString('hex')).toBe(want.toString('hex'));
    // file_version: field 3, string
    expect(encodeEvent({ wallTime: 0, step: 0, fileVersion: 'brain.Event:2' }).toString('hex')).toBe(
      `0900000000000000001a0d${Buffer.from('brain.Event:2').toString('hex')}`,
    );
  });

  it('encodes a SessionLog START (Event field 7, status 1)', () => {
    expect(encodeEvent({ wallTime: 0, step: 5, sessionStart: true }).toString('hex')).toBe('09000000000000000010053a02' + '0801');
    expect(decodeEvent(encodeEvent({ wallTime: 2, step: 5, sessionStart: true }))).toEqual({ wallTime: 2, step: 5, sessionStart: true });
  });

  it('round-trips through decodeEvent, large steps and several values included', () => {
    const e = { wallTime: 1764367200.123, step: 2 ** 40 + 7, scalars: [{ tag: 'train/loss', value: 0.25 }, { tag: 'eval/mean/recall@1', value: 0.5 }] };
    expect(decodeEvent(encodeEvent(e))).toEqual(e);
  });
});

describe('TensorBoardWriter', () => {
  it('writes a TFRecord event file that reads back, first event "brain.Event:2"', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-tb-'));
    let now = 1764367200;
    const w = new TensorBoardWriter(dir, { now: () => now++ });
    w.scalars(1, { 'train/loss': 2.5, 'train/lr': 0.1 });
    w.scalars(2, { 'train/loss': 2.0 });
    w.close();
    expect(path.basename(w.file)).toBe(`events.out.tfevents.1764367200.${os.hostname()}`);
    let records = 0;
    for await (const _ of readTFRecords(w.file)) records++; // CRCs verified
    expect(records).toBe(3);
    const events = await readEvents(w.file);
    expect(events[0]).toEqual({ wallTime: 1764367200, step: 0, fileVersion: 'brain.Event:2' });
    expect(events.slice(1)).toEqual([
      { wallTime: 1764367201, step: 1, scalars: [{ tag: 'train/loss', value: 2.5 }, { tag: 'train/lr', value: Math.fround(0.1) }] },
      { wallTime: 1764367202, step: 2, scalars: [{ tag: 'train/loss', value: 2 }] },
    ]);
    // A second writer in the same second gets its own file.
    const w2 = new TensorBoardWriter(dir, { now: () => 1764367200 });
    w2.close();
    expect(w2.file).not.toBe(w.file);
  });
});
