/**
 * Streaming TFRecord reader: async iteration, constant memory, both CRCs verified by default.
 *
 * The file is read in large chunks into freshly allocated buffers; each record's `data` is a view
 * into its chunk (no per-record copy), so it stays valid after the iteration moves on. A consumer
 * keeping many small records for long should copy them (`copy: true`) so that whole chunks are
 * not kept alive; one that uses each record at once can let the reader recycle two buffers
 * (`reuse: true`), which spares the allocations and the garbage collector.
 */
import { type Compression, resolveCompression } from './compression';
import { type CorruptKind, TFRecordCorruptError } from './corrupt-error';
import { crc32c, unmaskCrc } from './crc32c';
import { FOOTER_BYTES, HEADER_BYTES, MAX_RECORD_BYTES } from './framing';
import { type ByteSource, openByteSource } from './byte-source';

export interface ReadOptions {
  /** Default `'auto'`: by suffix (`.gz` gzip, `.zlib` zlib, else none). */
  compression?: Compression | 'auto';
  /** Verify the length and data CRCs (default true). */
  verify?: boolean;
  /**
   * Skip corrupt records instead of throwing: a record with a bad data CRC is skipped; after a bad
   * length CRC the reader scans forward byte by byte for the next valid header; a truncated tail or
   * a broken compressed stream ends the iteration. Each case is reported once to `onCorrupt`.
   */
  skipCorrupt?: boolean;
  onCorrupt?: (err: TFRecordCorruptError) => void;
  /** Give each record its own copy of the bytes instead of a view into the read chunk (default false). */
  copy?: boolean;
  /**
   * Recycle the read buffers (default false): fastest, no allocation in steady state, but a
   * record's `data` is only valid until the next step of the iteration. For consumers that decode
   * or copy each record at once; not for ones that keep records (a shuffle buffer).
   */
  reuse?: boolean;
  /** Read chunk size in bytes (default 4 MiB). */
  chunkBytes?: number;
}

export interface TFRecord {
  /** The record's payload (a view into the read chunk unless `copy`). */
  data: Buffer;
  /** 0-based index of the record in the file (corrupt records count too). */
  index: number;
  /** Byte offset of the record's header in the (uncompressed) stream. */
  offset: number;
}

const DEFAULT_CHUNK = 4 << 20;

/** A growable window over the byte stream; never overwrites bytes it has handed out. */
class Window {
  buf: Buffer;
  /** With `reuse`: the previous buffer, recycled at the next switch. */
  private spare: Buffer | null = null;
  start = 0;
  end = 0;
  /** Stream offset of buf[0]. */
  base = 0;
  eof = false;

  constructor(
    private readonly src: ByteSource,
    private readonly chunk: number,
    private readonly reuse: boolean,
  ) {
    this.buf = Buffer.allocUnsafe(0);
  }

  get offset(): number {
    return this.base + this.start;
  }

  get available(): number {
    return this.end - this.start;
  }

  /** Makes at least `n` bytes available unless the stream ends first; resolves the bytes available (<= n reported as is). */
  async fill(n: number): Promise<number> {
    if (this.buf.length - this.start < n || this.buf.length - this.end < this.chunk >> 3) {
      // Move the unread tail to a fresh buffer: the old one may still be referenced by records
      // (or, with `reuse`, to the buffer before it, whose records the consumer is done with).
      const size = Math.max(this.chunk, n);
      const nb = this.spare && this.spare.length >= size ? this.spare : Buffer.allocUnsafe(size);
      if (this.reuse) this.spare = this.buf;
      this.buf.copy(nb, 0, this.start, this.end);
      this.base += this.start;
      this.end -= this.start;
      this.start = 0;
      this.buf = nb;
    }
    while (this.end - this.start < n && !this.eof) {
      const k = await this.src.read(this.buf, this.end, this.buf.length - this.end);
      if (k === 0) this.eof = true;
      else this.end += k;
    }
    return this.end - this.start;
  }
}

/**
 * Iterates the records of a TFRecord file (plain, GZIP or ZLIB). Throws {@link TFRecordCorruptError}
 * (file, record index, offset) on a CRC mismatch or truncation unless `skipCorrupt`.
 */
export function readTFRecords(file: string, opts: ReadOptions = {}): AsyncIterableIterator<TFRecord> {
  const compression = resolveCompression(file, opts.compression ?? 'auto');
  return read(() => openByteSource(file, compression, opts.chunkBytes ?? DEFAULT_CHUNK), file, compression, opts);
}

/** The reader over any byte source (`file` and `compression` only shape the messages); closes `src`. */
export function readTFRecordsFrom(src: ByteSource, file: string, compression: Compression, opts: ReadOptions = {}): AsyncIterableIterator<TFRecord> {
  return read(async () => src, file, compression, opts);
}

async function* read(
  open: () => Promise<ByteSource>,
  file: string,
  compression: Compression,
  opts: ReadOptions,
): AsyncIterableIterator<TFRecord> {
  const src = await open();
  const verify = opts.verify ?? true;
  const skip = opts.skipCorrupt ?? false;
  const chunk = opts.chunkBytes ?? DEFAULT_CHUNK;
  const w = new Window(src, chunk, opts.reuse ?? false);
  let index = 0;
  let scanning = false; // looking for the next valid header after a bad length CRC

  /** Throws, or (skipCorrupt) reports and returns. */
  const corrupt = (kind: CorruptKind, offset: number, detail: string): void => {
    const err = new TFRecordCorruptError(file, index, offset, kind, detail);
    if (!skip) throw err;
    opts.onCorrupt?.(err);
  };

  /** A broken compressed stream is corruption (skippable); a failing plain read is an I/O error. */
  const streamError = (e: Error, offset: number): void => {
    if (compression === 'none') throw new Error(`${file}: read failed at offset ${offset}: ${e.message}`);
    corrupt('stream', offset, `compressed stream: ${e.message}`);
  };

  try {
    for (;;) {
      const offset = w.offset;
      let have = w.available;
      if (have < HEADER_BYTES) {
        try {
          have = await w.fill(HEADER_BYTES);
        } catch (e) {
          streamError(e as Error, offset);
          return;
        }
        if (have === 0) return; // clean end of file
        if (have < HEADER_BYTES) {
          if (!scanning) corrupt('truncated', offset, `truncated header: ${have} of ${HEADER_BYTES} bytes`);
          return;
        }
      }
      let b = w.buf;
      let p = w.start;
      const lo = b.readUInt32LE(p);
      const hi = b.readUInt32LE(p + 4);
      if (verify) {
        const stored = unmaskCrc(b.readUInt32LE(p + 8));
        const actual = crc32c(b.subarray(p, p + 8));
        if (stored !== actual) {
          if (!scanning) {
            corrupt('length-crc', offset, `length CRC mismatch (stored 0x${hex(stored)}, computed 0x${hex(actual)})`);
            index++;
            scanning = true;
          }
          w.start += 1;
          continue;
        }
      }
      const length = hi * 2 ** 32 + lo;
      if (length > MAX_RECORD_BYTES) {
        if (!scanning) corrupt('too-large', offset, `record length ${length} exceeds ${MAX_RECORD_BYTES} bytes`);
        return;
      }
      const total = HEADER_BYTES + length + FOOTER_BYTES;
      if (have < total) {
        try {
          have = await w.fill(total);
        } catch (e) {
          streamError(e as Error, offset);
          return;
        }
        if (have < total) {
          if (!scanning) {
            corrupt('truncated', offset, `truncated record: length ${length}, only ${have - HEADER_BYTES} bytes of data and footer follow`);
          }
          return;
        }
        b = w.buf;
        p = w.start;
      }
      const data = b.subarray(p + HEADER_BYTES, p + HEADER_BYTES + length);
      if (verify) {
        const stored = unmaskCrc(b.readUInt32LE(p + HEADER_BYTES + length));
        const actual = crc32c(data);
        if (stored !== actual) {
          if (scanning) {
            // A header that matched by chance inside garbage: keep scanning.
            w.start += 1;
            continue;
          }
          w.start += total;
          corrupt('data-crc', offset, `data CRC mismatch (length ${length}, stored 0x${hex(stored)}, computed 0x${hex(actual)})`);
          index++;
          continue;
        }
      }
      scanning = false;
      w.start += total;
      yield { data: opts.copy ? Buffer.from(data) : data, index, offset };
      index++;
    }
  } finally {
    await src.close();
  }
}

function hex(x: number): string {
  return x.toString(16).padStart(8, '0');
}
