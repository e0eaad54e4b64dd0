import * as fs from 'fs';
import { sharedData } from '@ffem/testing';
import { crc32c, maskCrc, unmaskCrc } from './crc32c';

describe('crc32c', () => {
  // Check values from RFC 3720 (iSCSI) appendix B.4 and the usual "123456789" check value.
  it('matches the published CRC-32C check values', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(32, 0x00))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('agrees with a bitwise reference on both the JS (short) and native (long) paths', () => {
    const bitwise = (d: Uint8Array) => {
      let c = 0xffffffff;
      for (const x of d) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 7919 + 13) & 255);
    for (let n = 0; n <= 300; n += 1) expect(crc32c(data.subarray(0, n))).toBe(bitwise(data.subarray(0, n)));
    // Continuing across the boundary between the two paths.
    expect(crc32c(data.subarray(10), crc32c(data.subarray(0, 10)))).toBe(bitwise(data));
    expect(crc32c(data.subarray(290), crc32c(data.subarray(0, 290)))).toBe(bitwise(data));
  });

  it('continues from a previous CRC', () => {
    const all = Buffer.from('The quick brown fox jumps over the lazy dog');
    expect(crc32c(all.subarray(17), crc32c(all.subarray(0, 17)))).toBe(crc32c(all));
  });
});

describe('maskCrc', () => {
  it('is the rotate-and-add of TensorFlow and unmaskCrc inverts it', () => {
    for (const c of [0, 1, 0xe3069283, 0xffffffff, 0x80000000, 0x12345678]) {
      const expected = ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) % 2 ** 32;
      expect(maskCrc(c)).toBe(expected);
      expect(unmaskCrc(maskCrc(c))).toBe(c);
    }
  });

  it('reproduces the length and data CRCs TensorFlow stored in cifar10_test.tfrecord', () => {
    const file = fs.readFileSync(sharedData('tfrecord-fixtures', 'cifar10_test.tfrecord'));
    const len = Number(file.readBigUInt64LE(0));
    expect(maskCrc(crc32c(file.subarray(0, 8)))).toBe(file.readUInt32LE(8));
    expect(maskCrc(crc32c(file.subarray(12, 12 + len)))).toBe(file.readUInt32LE(12 + len));
  });
});
