import { crc32c as nativeCrc32c } from '@node-rs/crc32';

/** Byte-wise table of the reflected Castagnoli polynomial 0x82f63b78. */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** Below this many bytes a JS table loop beats the cost of calling into the native addon. */
const NATIVE_FROM = 64;

/**
 * CRC-32C (Castagnoli) of `data`, continuing from `init` (the CRC of the bytes before it; 0 to
 * start). Hardware-accelerated (SSE4.2 / ARMv8 CRC) through `@node-rs/crc32`; short inputs (such
 * as the 8-byte TFRecord length) use a table in JS, cheaper than the native call.
 * `crc32c(Buffer.from('123456789')) === 0xe3069283`.
 */
export function crc32c(data: Uint8Array, init = 0): number {
  if (data.length >= NATIVE_FROM) return nativeCrc32c(data, init) >>> 0;
  let c = ~init;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** The constant TensorFlow adds when masking a CRC (`tensorflow/core/lib/hash/crc32c.h`). */
const MASK_DELTA = 0xa282ead8;

/** TensorFlow's masked CRC, as stored in TFRecord framing: `((crc >>> 15) | (crc << 17)) + 0xa282ead8` mod 2^32. */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** Inverse of {@link maskCrc}. */
export function unmaskCrc(masked: number): number {
  const rot = (masked - MASK_DELTA) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}
