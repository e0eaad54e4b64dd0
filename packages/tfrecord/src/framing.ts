/**
 * TFRecord framing, exactly as TensorFlow writes it (`tensorflow/core/io/record_writer.cc`):
 *
 *   uint64 length (little-endian) | uint32 masked CRC-32C of those 8 bytes | data | uint32 masked CRC-32C of data
 */
import { crc32c, maskCrc } from './crc32c';

/** Bytes before the data: length (8) + masked length CRC (4). */
export const HEADER_BYTES = 12;
/** Bytes after the data: masked data CRC (4). */
export const FOOTER_BYTES = 4;

/** Largest record this implementation accepts (a Node Buffer cannot hold more). */
export const MAX_RECORD_BYTES = 2 ** 31 - 1 - HEADER_BYTES - FOOTER_BYTES;

/** Writes the 12-byte header for a record of `length` bytes at `out[at]`. */
export function writeHeader(out: Buffer, at: number, length: number): void {
  out.writeUInt32LE(length >>> 0, at);
  out.writeUInt32LE(Math.floor(length / 2 ** 32), at + 4);
  out.writeUInt32LE(maskCrc(crc32c(out.subarray(at, at + 8))), at + 8);
}

/** Writes the 4-byte footer (masked CRC of `data`) at `out[at]`. */
export function writeFooter(out: Buffer, at: number, data: Uint8Array): void {
  out.writeUInt32LE(maskCrc(crc32c(data)), at);
}

/** One framed record as a new Buffer (header + data + footer). */
export function frameRecord(data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + data.length + FOOTER_BYTES);
  writeHeader(out, 0, data.length);
  out.set(data, HEADER_BYTES);
  writeFooter(out, HEADER_BYTES + data.length, data);
  return out;
}
