import * as fs from 'fs';
import { sharedData } from '@ffem/testing';
import { frameRecord, HEADER_BYTES } from './framing';

describe('frameRecord', () => {
  it('frames each record of flowers.tfrecord exactly as TensorFlow did', () => {
    const file = fs.readFileSync(sharedData('tfrecord-fixtures', 'flowers.tfrecord'));
    let n = 0;
    for (let p = 0; p < file.length; n++) {
      const len = Number(file.readBigUInt64LE(p));
      const framed = frameRecord(file.subarray(p + HEADER_BYTES, p + HEADER_BYTES + len));
      expect(Buffer.compare(framed, file.subarray(p, p + 16 + len))).toBe(0);
      p += 16 + len;
    }
    expect(n).toBe(25);
  });

  it('frames an empty record as 16 bytes: zero length and the two masked CRCs', () => {
    // Python ref (bitwise CRC-32C, poly 0x82f63b78): crc32c(bytes(8)) = 0x8c28b28a, masked LE '29039807';
    // crc32c(b'') = 0, masked LE 'd8ea82a2'.
    expect(frameRecord(new Uint8Array(0)).toString('hex')).toBe('0000000000000000' + '29039807' + 'd8ea82a2');
  });
});
