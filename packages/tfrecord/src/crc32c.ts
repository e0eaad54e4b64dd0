import { crc32c as nodeRsCrc32c } from '@node-rs/crc32';
import * as path from 'path';

type Crc32cFn = (data: Uint8Array, init?: number) => number;

/** Where the addon built by `native/build.mjs` (run at `npm ci`) lies. */
export const NATIVE_CRC32C_PATH = path.join(__dirname, '..', 'native', 'build', 'crc32c.node');

type VerifyRecordsFn = (buf: Uint8Array, from: number, to: number) => Promise<number>;
type MapFileFn = (fd: number, offset: number, length: number) => Promise<Buffer>;
type ReleasePagesFn = (mapping: Buffer, from: number, to: number) => void;

interface Addon {
  crc32c?: Crc32cFn;
  verifyRecords?: VerifyRecordsFn;
  mapFile?: MapFileFn;
  releasePages?: ReleasePagesFn;
  hardware: boolean;
}

/** The addon, or null where it was not built (no compiler, not x86-64): the fallbacks below are documented. */
const addon: Addon | null = (() => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(NATIVE_CRC32C_PATH) as Addon;
  } catch {
    return null;
  }
})();

/**
 * The fastest CRC-32C at hand: our SSE4.2 addon (three interleaved crc32 streams, about 10-15 GB/s
 * here) when it was built and the CPU has SSE4.2, else `@node-rs/crc32` (whose prebuilt binary
 * runs at 3-7 GB/s on the same machine). `FFEM_CRC32C=node-rs` forces the latter.
 */
function pickImplementation(): { name: 'ffem-sse42' | '@node-rs/crc32'; fn: Crc32cFn; verifyRecords: VerifyRecordsFn | null } {
  if (process.env.FFEM_CRC32C !== 'node-rs' && addon?.hardware && addon.crc32c && addon.verifyRecords) {
    return { name: 'ffem-sse42', fn: addon.crc32c, verifyRecords: addon.verifyRecords };
  }
  return { name: '@node-rs/crc32', fn: nodeRsCrc32c, verifyRecords: null };
}

const impl = pickImplementation();
const nativeCrc32c = impl.fn;

/** Which implementation {@link crc32c} uses for inputs of 64 bytes and more. */
export const crc32cImplementation = impl.name;

/**
 * With the addon only: checks the TFRecord frames of `buf[from..to)` on libuv's thread pool
 * (both CRCs, record after record from `from`) and resolves the offset where the run of complete,
 * valid records ends. `null` where the addon is not built: the reader then checks on its own thread.
 */
export const verifyRecordsOffThread: VerifyRecordsFn | null = impl.verifyRecords;

/**
 * With the addon only: maps bytes `[offset, offset + length)` of the open file `fd` read-only, on
 * libuv's thread pool, and resolves a Buffer over them, unmapped once it and its views are
 * garbage-collected (rejects where the file is shorter or cannot be mapped). `null` where the
 * addon is not built: the reader then reads. Accessing a mapping past the end of a file that has
 * since been truncated raises SIGBUS.
 */
export const mapFileNative: MapFileFn | null = addon?.mapFile ?? null;

/**
 * With the addon only: drops, on the thread pool, the page-table entries of the whole pages of
 * `mapping[from..to)` (a Buffer made by {@link mapFileNative}); views stay valid (an access maps
 * the pages again), so a long read keeps few pages resident.
 */
export const releasePagesNative: ReleasePagesFn | null = addon?.releasePages ?? null;

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
 * start). Hardware-accelerated (see {@link crc32cImplementation}); short inputs (such as the 8-byte
 * TFRecord length) use a table in JS, cheaper than the native call.
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
