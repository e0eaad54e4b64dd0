/**
 * Streaming TFRecord reader: async iteration, constant memory, both CRCs verified by default.
 *
 * The file is read in large chunks into freshly allocated buffers, one chunk ahead of the parser
 * (reading overlaps checking); each record's `data` is a view
 * into its chunk (no per-record copy), so it stays valid after the iteration moves on. A consumer
 * keeping many small records for long should copy them (`copy: true`) so that whole chunks are
 * not kept alive; one that uses each record at once can let the reader recycle two buffers
 * (`reuse: true`), which spares the allocations and the garbage collector.
 */
import { type Compression, resolveCompression } from './compression';
import { type CorruptKind, TFRecordCorruptError } from './corrupt-error';
import * as crc from './crc32c';
import * as framing from './framing';
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
  /**
   * Check the frames of read-ahead chunks on libuv's thread pool, where the CRC-32C addon is built
   * (default true). Off: every CRC is computed on the iterating thread. Same records either way.
   */
  offThread?: boolean;
  /** Filled in as the iteration goes: how many records were checked where. */
  stats?: ReadStats;
}

/** Where the records' CRCs were checked (see {@link ReadOptions.stats}). */
export interface ReadStats {
  /** Records whose CRCs the thread pool checked ahead of the iteration. */
  checkedOffThread: number;
  /** Records whose CRCs the iterating thread checked itself. */
  checkedOnThread: number;
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

// Module-local copies: the transpilers that run this code (tsx, swc) turn each use of an imported
// binding into a getter call, which showed up in the reader's profile (a few % per record).
const { HEADER_BYTES, FOOTER_BYTES, MAX_RECORD_BYTES } = framing;
const { crc32c, unmaskCrc, verifyRecordsOffThread } = crc;

/** How many chunks are read ahead of the one being parsed. */
const READ_AHEAD = 2;

const ignore = (): void => undefined;

/** Where the frames of a read-ahead chunk were checked off the main thread: `buf[from..to)`, -1 when not. */
interface Checked {
  from: number;
  to: number;
}

/** No check: where the chunk's first record starts was not known. */
const LOST: Checked = { from: -1, to: -1 };

/** A chunk read ahead into `buf[headroom..]`, and (when verifying) its frame check once started. */
interface Ahead {
  buf: Buffer;
  read: Promise<number>;
  check: Promise<Checked> | null;
}

/**
 * A window over the byte stream that reads ahead: while the records of one chunk are parsed, the
 * next chunks are being read and (with the addon, see {@link verifyRecordsOffThread}) their frames
 * checked, both on libuv's thread pool, i.e. on the other core. The main thread is then left with
 * little more than slicing records out.
 *
 * Each chunk is read at `headroom` bytes into its buffer; when the parser reaches the end of the
 * current buffer, the unread tail (the start of a record that straddles the chunks) is copied into
 * that headroom, just in front of the new bytes, so records stay contiguous without copying the
 * chunk itself. A tail larger than the headroom (a record bigger than a quarter chunk) is joined
 * in a buffer of its own. Never overwrites bytes it has handed out, except with `reuse`, where
 * buffers the consumer is done with take the next reads.
 */
class Window {
  buf: Buffer = Buffer.allocUnsafe(0);
  start = 0;
  end = 0;
  /** Stream offset of buf[0]. */
  base = 0;
  eof = false;
  /**
   * Records of `buf[verifiedFrom..verifiedEnd)` were checked (both CRCs) off the main thread, as a
   * chain of frames starting at `verifiedFrom`; -1 when none. The reader trusts a record only once
   * it has stepped onto that chain (`onChain`: it was at `verifiedFrom` and moved record by record).
   */
  verifiedFrom = -1;
  verifiedEnd = -1;
  onChain = false;
  private readonly queue: Ahead[] = [];
  /** Reads run one after the other unless the byte source takes concurrent ones (plain files do). */
  private lastRead: Promise<unknown> = Promise.resolve();
  /** With `reuse`: buffers whose records have been consumed, for the next reads. */
  private readonly spares: Buffer[] = [];
  private readonly headroom: number;
  private readonly size: number;

  constructor(
    private readonly src: ByteSource,
    private readonly chunk: number,
    private readonly reuse: boolean,
    checkOffThread: boolean,
  ) {
    this.headroom = Math.max(HEADER_BYTES + FOOTER_BYTES, chunk >> 2);
    this.size = this.headroom + chunk;
    this.checker = checkOffThread ? verifyRecordsOffThread : null;
  }

  private readonly checker: typeof verifyRecordsOffThread;

  get offset(): number {
    return this.base + this.start;
  }

  get available(): number {
    return this.end - this.start;
  }

  private readAhead(): void {
    const buf = this.spares.pop() ?? Buffer.allocUnsafe(this.size);
    const read = this.src.concurrent ? this.src.read(buf, this.headroom, this.chunk) : this.lastRead.then(() => this.src.read(buf, this.headroom, this.chunk));
    read.catch(ignore); // a failure is rethrown where the read is awaited, not reported as unhandled
    this.lastRead = read;
    const a: Ahead = { buf, read, check: null };
    if (this.checker) {
      const prev = this.queue[this.queue.length - 1];
      a.check = prev ? this.checkAfter(a, prev) : this.checkAfterCurrent(a);
    }
    this.queue.push(a);
  }

  /** Keeps READ_AHEAD reads (and their checks) in flight. */
  private topUp(): void {
    while (this.queue.length < READ_AHEAD) this.readAhead();
  }

  /** Checks `a` from `from` (a position in `a.buf`, -1: unknown) once it has been read. */
  private checkFrom(a: Ahead, from: number): Promise<Checked> {
    const check = this.checker!;
    const p = a.read.then(async (k) => (from >= this.headroom && from < this.headroom + k ? { from, to: await check(a.buf, from, this.headroom + k) } : LOST));
    p.catch(ignore);
    return p;
  }

  /**
   * The check of `a`, whose bytes follow the current buffer's: its first record is found by
   * hopping over the frames from the reader's position by their (unchecked) lengths. A wrong
   * guess (in a corrupt stretch) only costs the speed-up: the reader trusts the check only on the
   * chain of frames it reaches itself.
   */
  private checkAfterCurrent(a: Ahead): Promise<Checked> {
    const b = this.buf;
    let q = this.start;
    while (this.end - q >= HEADER_BYTES) q += HEADER_BYTES + FOOTER_BYTES + b.readUInt32LE(q + 4) * 2 ** 32 + b.readUInt32LE(q);
    return this.checkFrom(a, q >= this.end && q - this.end < this.chunk ? this.headroom + (q - this.end) : -1);
  }

  /**
   * The check of `a`, whose bytes follow those of `prev`: it starts as soon as both are read and
   * `prev` is checked, where the record that `prev`'s check stopped at (the one straddling the two
   * chunks) ends. So checks run as far ahead as the reads, not one chunk ahead of the reader.
   * LOST when `prev`'s chain broke (corruption): the reader then re-checks at its own position.
   */
  private checkAfter(a: Ahead, prev: Ahead): Promise<Checked> {
    const H = this.headroom;
    const p = Promise.all([prev.read, prev.check!, a.read]).then(([prevK, pc, k]) => {
      if (pc.from < 0) return LOST;
      const prevEnd = H + prevK;
      const at = pc.to;
      if (at === prevEnd) return this.checkFrom(a, H);
      if (prevEnd - at + k < 8) return LOST;
      // The length may straddle the chunks: bytes of prev.buf up to prevEnd, then of a.buf from H.
      const byte = (i: number) => (at + i < prevEnd ? prev.buf[at + i] : a.buf[H + at + i - prevEnd]);
      let length = 0;
      for (let i = 7; i >= 0; i--) length = length * 256 + byte(i);
      const recordEnd = at + HEADER_BYTES + FOOTER_BYTES + length;
      // A record complete in prev that failed its check is corruption: the chain is lost.
      return recordEnd <= prevEnd || recordEnd - prevEnd >= this.chunk ? LOST : this.checkFrom(a, H + (recordEnd - prevEnd));
    });
    p.catch(ignore);
    return p;
  }

  /**
   * After switching to a buffer whose check was lost: checks it from the reader's position (on the
   * pool, waited for), and restarts the chained checks of the chunks read after it.
   */
  private async recheck(): Promise<void> {
    const check = this.checker!;
    this.verifiedFrom = this.start;
    this.verifiedEnd = await check(this.buf, this.start, this.end);
    let prev: Ahead = { buf: this.buf, read: Promise.resolve(this.end - this.headroom), check: Promise.resolve({ from: this.start, to: this.verifiedEnd }) };
    for (const a of this.queue) {
      a.check = this.checkAfter(a, prev);
      prev = a;
    }
  }

  private recycle(b: Buffer): void {
    if (this.reuse && b.length === this.size) this.spares.push(b);
  }

  /** The next read-ahead chunk: its byte count, once its read (and check, if any) are done. */
  private async next(): Promise<{ a: Ahead; k: number; checked: Checked | null }> {
    if (this.queue.length === 0) this.topUp();
    const a = this.queue.shift()!;
    const k = await a.read;
    const checked = a.check ? await a.check : null;
    return { a, k, checked };
  }

  /** Makes at least `n` bytes available unless the stream ends first; resolves the bytes available (<= n reported as is). */
  async fill(n: number): Promise<number> {
    while (this.end - this.start < n && !this.eof) {
      const { a, k, checked } = await this.next();
      if (k === 0) {
        this.eof = true;
        break;
      }
      const tail = this.end - this.start;
      const old = this.buf;
      this.onChain = false;
      this.verifiedFrom = this.verifiedEnd = -1;
      if (tail <= this.headroom) {
        old.copy(a.buf, this.headroom - tail, this.start, this.end);
        this.base += this.start - (this.headroom - tail);
        this.buf = a.buf;
        this.start = this.headroom - tail;
        this.end = this.headroom + k;
        if (checked && checked.from >= 0) {
          this.verifiedFrom = checked.from;
          this.verifiedEnd = checked.to;
        } else if (checked) await this.recheck();
      } else {
        // A record larger than the headroom: join the tail and the following chunks in a buffer of its own.
        let nb = Buffer.allocUnsafe(Math.max(n, tail + k, this.chunk));
        old.copy(nb, 0, this.start, this.end);
        a.buf.copy(nb, tail, this.headroom, this.headroom + k);
        this.recycle(a.buf);
        let end = tail + k;
        while (end < n) {
          const more = await this.next();
          if (more.k === 0) {
            this.eof = true;
            break;
          }
          if (nb.length < end + more.k) {
            const grown = Buffer.allocUnsafe(Math.max(2 * nb.length, end + more.k));
            nb.copy(grown, 0, 0, end);
            nb = grown;
          }
          more.a.buf.copy(nb, end, this.headroom, this.headroom + more.k);
          this.recycle(more.a.buf);
          end += more.k;
        }
        this.base += this.start;
        this.buf = nb;
        this.start = 0;
        this.end = end;
        if (this.checker) {
          // Its check could not run ahead (the tail is part of it); run it now, still on the pool.
          this.verifiedFrom = 0;
          this.verifiedEnd = await this.checker(nb, 0, end);
        }
      }
      this.recycle(old);
      if (!this.eof) this.topUp();
    }
    return this.end - this.start;
  }

  /** Waits for reads and checks still in flight (so that the source can be closed); their outcome no longer matters. */
  async settle(): Promise<void> {
    await Promise.all(this.queue.flatMap((a) => [a.read, a.check])).catch(ignore);
    await this.lastRead.catch(ignore);
    this.queue.length = 0;
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
  // With `copy` no record refers to the read buffers: they can be recycled as with `reuse`.
  const w = new Window(src, chunk, (opts.reuse ?? false) || (opts.copy ?? false), verify && (opts.offThread ?? true));
  const stats = opts.stats;
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
      if (p === w.verifiedFrom) w.onChain = true;
      // On the chain of frames checked off the main thread: both CRCs are already verified.
      const checked = w.onChain && p < w.verifiedEnd;
      const lo = b.readUInt32LE(p);
      const hi = b.readUInt32LE(p + 4);
      if (verify && !checked) {
        const stored = unmaskCrc(b.readUInt32LE(p + 8));
        const actual = crc32c(b.subarray(p, p + 8));
        if (stored !== actual) {
          if (!scanning) {
            corrupt('length-crc', offset, `length CRC mismatch (stored 0x${hex(stored)}, computed 0x${hex(actual)})`);
            index++;
            scanning = true;
          }
          w.start += 1;
          w.onChain = false;
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
        if (p === w.verifiedFrom) w.onChain = true; // a buffer that starts with this record (see Window.fill)
      }
      const data = b.subarray(p + HEADER_BYTES, p + HEADER_BYTES + length);
      if (verify && !checked) {
        const stored = unmaskCrc(b.readUInt32LE(p + HEADER_BYTES + length));
        const actual = crc32c(data);
        if (stored !== actual) {
          if (scanning) {
            // A header that matched by chance inside garbage: keep scanning.
            w.start += 1;
            w.onChain = false;
            continue;
          }
          w.start += total;
          corrupt('data-crc', offset, `data CRC mismatch (length ${length}, stored 0x${hex(stored)}, computed 0x${hex(actual)})`);
          index++;
          continue;
        }
      }
      scanning = false;
      if (stats && verify) {
        if (checked) stats.checkedOffThread++;
        else stats.checkedOnThread++;
      }
      w.start += total;
      yield { data: opts.copy ? Buffer.from(data) : data, index, offset };
      index++;
    }
  } finally {
    await w.settle();
    await src.close();
  }
}

function hex(x: number): string {
  return x.toString(16).padStart(8, '0');
}
