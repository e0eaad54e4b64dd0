/**
 * @ffem/tfrecord: TFRecord files exactly as TensorFlow writes and reads them.
 *
 * - `crc32c` / `maskCrc` / `unmaskCrc`: hardware CRC-32C and TensorFlow's CRC masking.
 * - `readTFRecords(file, opts)`: streaming async reader (plain / GZIP / ZLIB, CRCs verified,
 *   corrupt records reported with file, index and offset, or skipped and counted).
 * - `TFRecordWriter`: batched writer to a temp file renamed on `close()`.
 * - `encodeExample` / `decodeExample`: `tf.train.Example` (bytes, float, int64 as bigint).
 * - `encodeFaceRecord` / `decodeFaceRecord`: the FFEM face schema (jpeg, label, x1, y1, x2, y2).
 */
export { crc32c, crc32cImplementation, maskCrc, unmaskCrc } from './crc32c';
export { type Compression, resolveCompression } from './compression';
export { HEADER_BYTES, FOOTER_BYTES, MAX_RECORD_BYTES, frameRecord } from './framing';
export { TFRecordCorruptError, type CorruptKind } from './corrupt-error';
export { readTFRecords, type ReadOptions, type ReadStats, type TFRecord } from './reader';
export { TFRecordWriter, type WriteOptions } from './writer';
export { encodeExample, decodeExample, type Feature, type EncodeExampleOptions } from './example';
export { encodeFaceRecord, decodeFaceRecord, FACE_INT_KEYS, type FaceRecord } from './face-record';
