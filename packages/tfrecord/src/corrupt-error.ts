/** What went wrong with a record. */
export type CorruptKind = 'length-crc' | 'data-crc' | 'truncated' | 'too-large' | 'stream';

/**
 * A corrupt or truncated TFRecord. The message names the file, the record index (0-based, counting
 * every record met so far, good or bad) and the byte offset of the record's header in the
 * uncompressed stream.
 */
export class TFRecordCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly index: number,
    readonly offset: number,
    readonly kind: CorruptKind,
    detail: string,
  ) {
    super(`${file}: record ${index} at offset ${offset}: ${detail}`);
    this.name = 'TFRecordCorruptError';
  }
}
