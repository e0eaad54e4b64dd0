import * as fs from 'fs';
import { sharedData } from '@ffem/testing';
import * as path from 'path';
import { crc32c as nodeRsCrc32c } from '@node-rs/crc32';
import { frameRecord } from './framing';
import { crc32c, crc32cImplementation, maskCrc, unmaskCrc, NATIVE_CRC32C_PATH } from './crc32c';

/** What `native/build.mjs` (run by `npm ci`) reported: built, or why not. */
function nativeBuildStatus(): { built: boolean; reason?: string } {
  const file = path.join(path.dirname(NATIVE_CRC32C_PATH), 'status.json');
  if (!fs.existsSync(file)) throw new Error(`${file} missing: run \`npm ci\` or \`node packages/tfrecord/native/build.mjs\``);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

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

  it('uses the SSE4.2 addon wherever its build succeeded', () => {
    const status = nativeBuildStatus();
    if (process.env.FFEM_CRC32C === 'node-rs') expect(crc32cImplementation).toBe('@node-rs/crc32');
    else expect(crc32cImplementation).toBe(status.built ? 'ffem-sse42' : '@node-rs/crc32');
  });

  it('the SSE4.2 addon agrees with @node-rs/crc32 across lengths, alignments, initial values and its block sizes', () => {
    if (!nativeBuildStatus().built) return; // the fallback is what the other cases test
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addon = require(NATIVE_CRC32C_PATH) as { crc32c: (d: Uint8Array, init?: number) => number; hardware: boolean };
    expect(addon.hardware).toBe(true);
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const pool = Buffer.alloc((1 << 20) + 64);
    for (let i = 0; i < pool.length; i++) pool[i] = next() >>> 24;
    // 768 = 3 short blocks, 24576 = 3 long blocks: each side of each interleaving threshold.
    const lengths = [0, 1, 7, 8, 9, 63, 64, 255, 256, 767, 768, 769, 1500, 8904, 24575, 24576, 24577, 49152 + 777, 1 << 20];
    for (const n of lengths) {
      for (let off = 0; off < 8; off++) {
        const d = pool.subarray(off, off + n);
        const init = next();
        expect([n, off, addon.crc32c(d, init)]).toEqual([n, off, nodeRsCrc32c(d, init) >>> 0]);
      }
    }
    expect(addon.crc32c(new Uint8Array(0))).toBe(0);
    expect(() => addon.crc32c('abc' as unknown as Uint8Array)).toThrow(/expected a Uint8Array/);
    expect(() => addon.crc32c(new Float32Array(4) as unknown as Uint8Array)).toThrow(/expected a Uint8Array/);
  });

  it('verifyRecords (addon) resolves the end of the run of complete, valid frames', async () => {
    if (!nativeBuildStatus().built) return;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addon = require(NATIVE_CRC32C_PATH) as { verifyRecords: (b: Uint8Array, from: number, to: number) => Promise<number> };
    const frames = [0, 5, 300, 70000, 1].map((n) => frameRecord(Buffer.alloc(n, n & 255)));
    const ends = frames.reduce<number[]>((acc, f) => [...acc, (acc.at(-1) ?? 0) + f.length], []);
    const all = Buffer.concat([Buffer.alloc(3, 9), ...frames]); // frames start at 3
    const at = (i: number) => 3 + (i === 0 ? 0 : ends[i - 1]);
    expect(await addon.verifyRecords(all, 3, all.length)).toBe(all.length);
    expect(await addon.verifyRecords(all, 3, all.length - 1)).toBe(at(4)); // the last one incomplete
    expect(await addon.verifyRecords(all, at(2), at(3) + 15)).toBe(at(3)); // not even a whole header
    expect(await addon.verifyRecords(all, 4, all.length)).toBe(4); // not at a frame
    const badData = Buffer.from(all);
    badData[at(3) + 12 + 1000] ^= 1;
    expect(await addon.verifyRecords(badData, 3, all.length)).toBe(at(3));
    const badLength = Buffer.from(all);
    badLength[at(1)] ^= 1;
    expect(await addon.verifyRecords(badLength, 3, all.length)).toBe(at(1));
    await expect(() => addon.verifyRecords(all, 10, 5)).toThrow(/0 <= from <= to <= length/);
    await expect(() => addon.verifyRecords(all, 0, all.length + 1)).toThrow(/0 <= from <= to <= length/);
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
