/**
 * Streaming TFRecord reader: async iteration, constant memory, both CRCs verified by default.
 *
 * A plain file is, by default, mapped into memory (read-only mappings of up to 512 MiB made on
 * libuv's thread pool, where the CRC-32C addon is built) and parsed chunk by chunk, the frames
 * of the chunks ahead checked on the pool: each record's `data` is a view into the mapping, no
 * byte is copied, and the view stays valid after the iteration moves on (a mapping is released
 * once no view refers to it; the pages the reader has passed are unmapped again meanwhile, and
 * come back if a kept record is used). Elsewhere (no addon, `mmap: false`,
 * `FFEM_TFRECORD_MMAP=0`, compressed or non-regular files) the file is read in large chunks into
 * freshly allocated buffers, with the same records. Mapping's risks: see {@link ReadOptions.mmap}.
 * A consumer keeping many small records for long should copy them (`copy: true`) so that whole
 * chunks are not kept alive; one that uses each record at once can let the reader recycle two
 * buffers (`reuse: true`; without mapping it spares the allocations and the garbage collector).
 */
import { type Compression, resolveCompression } from './compression';
import { type CorruptKind, TFRecordCorruptError } from './corrupt-error';
import * as crc from './crc32c';
import * as framing from './framing';
import { type ByteSource, type Mapper, openByteSource } from './byte-source';

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
  /** Give each record its own copy of the bytes instead of a view into the read or mapped chunk (default false). */
  copy?: boolean;
  /**
   * Recycle the read buffers (default false): no allocation in steady state, but a record's `data`
   * is only valid until the next step of the iteration. For consumers that decode or copy each
   * record at once; not for ones that keep records (a shuffle buffer). Mapped chunks are never
   * written to, so with mapping this only promises less than the default.
   */
  reuse?: boolean;
  /** Read (or mapped) chunk size in bytes (default 4 MiB). */
  chunkBytes?: number;
  /**
   * Check the frames of read-ahead chunks on libuv's thread pool, where the CRC-32C addon is built
   * (default true). Off: every CRC is computed on the iterating thread. Same records either way.
   */
  offThread?: boolean;
  /**
   * Map a plain file into memory instead of reading it (default true where the addon is built;
   * `FFEM_TFRECORD_MMAP=0` turns the default off): chunks are views into read-only mappings of
   * the file (one per 512 MiB), records views into them, and no byte is copied; the pages the
   * reader has passed are unmapped again (records keep working: their pages come back on access).
   * Only regular, uncompressed, non-empty files are mapped; the records are the same either way,
   * also for a file that grows or is cut short while it is read. The risks of a mapping: a file
   * truncated by another process while its bytes are being accessed (by the reader or through
   * records kept) raises SIGBUS, which ends the process; and records kept from a file that is
   * rewritten in place show the new bytes. Pass `mmap: false` for files that may change under the
   * reader.
   */
  mmap?: boolean;
  /** Filled in as the iteration goes: how many records were checked where, how many chunks were mapped. */
  stats?: ReadStats;
}

/** Where the records' CRCs were checked (see {@link ReadOptions.stats}). */
export interface ReadStats {
  /** Records whose CRCs the thread pool checked ahead of the iteration. */
  checkedOffThread: number;
  /** Records whose CRCs the iterating thread checked itself. */
  checkedOnThread: number;
  /** Chunks of the file that were mapped into memory rather than read (see {@link ReadOptions.mmap}). */
  mappedChunks?: number;
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

/**
 * Bytes per mapping of a plain file (each chunk is a view into one): few mappings, as V8 counts
 * each new buffer's bytes towards its next full garbage collection; well below the largest Buffer.
 */
const SEGMENT_BYTES = 512 << 20;

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

/**
 * A chunk read ahead into `buf[head..]` (`buf` is set once `read` resolves its byte count), and
 * (when verifying) its frame check once started. Read chunks have `head` = the window's headroom,
 * free for the tail of the chunk before; mapped ones map the `head` bytes of the file before the
 * chunk too, so that tail is already in place.
 */
interface Ahead {
  buf: Buffer;
  head: number;
  /** Mapped: the segment `buf` is a view into, at `segAt` (see Window.chunkOf). */
  seg?: Buffer;
  segAt?: number;
  read: Promise<number>;
  check: Promise<Checked> | null;
}

const EMPTY = Buffer.alloc(0);

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
 *
 * With a {@link Mapper} (a plain regular file, the addon built) each chunk is instead a view into
 * a read-only mapping of the file that also covers the `headroom` bytes before the chunk: the
 * tail is already in place, nothing is copied, and the frame check of a chunk can start at the
 * record that straddles it and the chunk before, so that even those records are checked off the
 * main thread.
 */
class Window {
  buf: Buffer = Buffer.allocUnsafe(0);
  /** Mapped: the segment `buf` is a view into, and where (see {@link release}). */
  private cur: { buf: Buffer; seg?: Buffer; segAt?: number } = { buf: EMPTY };
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
  /** Set when the source is mapped instead of read (see {@link ByteSource.mapper}). */
  private readonly mapper: Mapper | null;
  /** With a mapper: the file offset of the next chunk to map, while within the size known... */
  private mapNext = 0;
  /** ...and beyond it, once the chunk before has been mapped. */
  private mapNextLater: Promise<number> | null = null;
  /** The mapped segment of the file the chunks are views into: bytes `[start, end)`; `buf` null where mapping failed. */
  private segment: { start: number; end: number; buf: Promise<Buffer | null> } | null = null;

  constructor(
    private readonly src: ByteSource,
    private readonly chunk: number,
    private readonly reuse: boolean,
    checkOffThread: boolean,
    private readonly stats: ReadStats | undefined,
  ) {
    this.headroom = Math.max(HEADER_BYTES + FOOTER_BYTES, chunk >> 2);
    this.size = this.headroom + chunk;
    this.checker = checkOffThread ? verifyRecordsOffThread : null;
    this.mapper = src.mapper ?? null;
  }

  private readonly checker: typeof verifyRecordsOffThread;

  get offset(): number {
    return this.base + this.start;
  }

  get available(): number {
    return this.end - this.start;
  }

  private readAhead(): void {
    const a = this.mapper ? this.mapAhead(this.mapper) : this.readInto(this.spares.pop() ?? Buffer.allocUnsafe(this.size));
    a.read.catch(ignore); // a failure is rethrown where the read is awaited, not reported as unhandled
    if (this.checker) {
      const prev = this.queue[this.queue.length - 1];
      a.check = prev ? this.checkAfter(a, prev) : this.checkAfterCurrent(a);
    }
    this.queue.push(a);
  }

  private readInto(buf: Buffer): Ahead {
    const read = this.src.concurrent ? this.src.read(buf, this.headroom, this.chunk) : this.lastRead.then(() => this.src.read(buf, this.headroom, this.chunk));
    this.lastRead = read;
    return { buf, head: this.headroom, read, check: null };
  }

  /** The next chunk's bytes and, in front of them, up to `headroom` bytes of the file before it. */
  private mapAhead(m: Mapper): Ahead {
    const a: Ahead = { buf: EMPTY, head: 0, read: Promise.resolve(0), check: null };
    const bytes = (at: number, k: number): Promise<number> =>
      this.chunkOf(m, at - a.head, at + k).then(({ buf, seg, segAt }) => {
        a.buf = buf;
        if (seg) {
          a.seg = seg;
          a.segAt = segAt;
        }
        return Math.max(0, buf.length - a.head);
      });
    if (!this.mapNextLater && this.mapNext < m.size) {
      const at = this.mapNext;
      const k = Math.min(this.chunk, m.size - at);
      a.head = Math.min(this.headroom, at);
      this.mapNext = at + k;
      a.read = bytes(at, k);
      return a;
    }
    // At the end of the size known: the file may have grown since (it is then read to its new
    // end, as by reads). Such a chunk starts where the one before ended, once that is known, and
    // has no head (its place was unknown when the checks were chained): a record straddling into
    // it is joined by copying.
    const start = this.mapNextLater ?? Promise.resolve(this.mapNext);
    const next = start.then(async (at) => {
      const k = Math.max(0, Math.min(this.chunk, (await m.refresh()) - at));
      return { at, k: k > 0 ? await bytes(at, k) : 0 };
    });
    next.catch(ignore); // rethrown where `a.read` is awaited
    a.read = next.then(({ k }) => k);
    this.mapNextLater = next.then(({ at, k }) => at + k);
    this.mapNextLater.catch(ignore);
    return a;
  }

  /**
   * Bytes `[from, to)` of the file: a view into the mapped segment that holds them (mapped when
   * first needed), or, where the file cannot be mapped or has become shorter than them, read.
   * One mapping serves many chunks: V8 counts each new buffer's bytes towards its next full
   * garbage collection, so a mapping per chunk would bring one every 64 MB read. The file's size
   * is taken anew before each chunk is used, so that a file truncated since it was mapped is
   * read (and reported truncated) rather than touched past its end (SIGBUS), bar a truncation
   * in between.
   */
  private chunkOf(m: Mapper, from: number, to: number): Promise<{ buf: Buffer; seg?: Buffer; segAt?: number }> {
    let seg = this.segment;
    if (!seg || from < seg.start || to > seg.end) {
      const start = from;
      const end = Math.min(Math.max(m.size, to), Math.max(to, start + SEGMENT_BYTES));
      const buf = m.map(start, end - start).catch(() => null);
      seg = this.segment = { start, end, buf };
    }
    const s = seg;
    return Promise.all([s.buf, m.currentSize()]).then(async ([seg, size]) => {
      if (!seg || size < to) return { buf: await m.readAt(from, to - from) };
      if (this.stats) this.stats.mappedChunks = (this.stats.mappedChunks ?? 0) + 1;
      return { buf: seg.subarray(from - s.start, to - s.start), seg, segAt: from - s.start };
    });
  }

  /**
   * Mapped: the reader is done with chunk `a` but for its last `keep` bytes (the head of the
   * next chunk); let the kernel unmap the pages of the rest, so that few pages stay resident
   * however long the file. Records handed out of them stay valid (their pages come back on access).
   */
  private release(a: { buf: Buffer; seg?: Buffer; segAt?: number }, keep: number): void {
    if (this.mapper && a.seg && a.buf.length > keep) this.mapper.release(a.seg, a.segAt!, a.segAt! + a.buf.length - keep);
  }

  /** Keeps READ_AHEAD reads (and their checks) in flight. */
  private topUp(): void {
    while (this.queue.length < READ_AHEAD) this.readAhead();
  }

  /** Checks `a` from `from` (a position in `a.buf`, -1: unknown) once it has been read. */
  private checkFrom(a: Ahead, from: number): Promise<Checked> {
    const check = this.checker!;
    // A mapped chunk holds the bytes before its own: a check may start there (a straddling record).
    const lowest = this.mapper ? 0 : a.head;
    const p = a.read.then(async (k) => (k > 0 && from >= lowest && from < a.head + k ? { from, to: await check(a.buf, from, a.head + k) } : LOST));
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
    let last = q; // where the record that q stepped over starts
    while (this.end - q >= HEADER_BYTES) {
      last = q;
      q += HEADER_BYTES + FOOTER_BYTES + b.readUInt32LE(q + 4) * 2 ** 32 + b.readUInt32LE(q);
    }
    // Mapped: from the record that straddles the chunks (its start is among the bytes mapped in front).
    if (this.mapper && q !== this.end) q = q > this.end ? last : q;
    const from = a.head + (q - this.end);
    return this.checkFrom(a, (this.mapper || q >= this.end) && q - this.end < this.chunk && from >= 0 ? from : -1);
  }

  /**
   * The check of `a`, whose bytes follow those of `prev`: it starts as soon as both are read and
   * `prev` is checked, where the record that `prev`'s check stopped at (the one straddling the two
   * chunks) ends. So checks run as far ahead as the reads, not one chunk ahead of the reader.
   * LOST when `prev`'s chain broke (corruption): the reader then re-checks at its own position.
   */
  private checkAfter(a: Ahead, prev: Ahead): Promise<Checked> {
    const p = Promise.all([prev.read, prev.check!, a.read]).then(([prevK, pc, k]) => {
      if (pc.from < 0) return LOST;
      const H = a.head;
      const prevEnd = prev.head + prevK;
      const at = pc.to;
      if (at === prevEnd) return this.checkFrom(a, H);
      if (prevEnd - at + k < 8) return LOST;
      // The length may straddle the chunks: bytes of prev.buf up to prevEnd, then of a.buf from H.
      const byte = (i: number) => (at + i < prevEnd ? prev.buf[at + i] : a.buf[H + at + i - prevEnd]);
      let length = 0;
      for (let i = 7; i >= 0; i--) length = length * 256 + byte(i);
      const recordEnd = at + HEADER_BYTES + FOOTER_BYTES + length;
      // A record complete in prev that failed its check is corruption: the chain is lost.
      if (recordEnd <= prevEnd || recordEnd - prevEnd >= this.chunk) return LOST;
      // Mapped: the straddling record is whole in a.buf, in front of its new bytes; check from it.
      if (this.mapper && prevEnd - at <= H) return this.checkFrom(a, H - (prevEnd - at));
      return this.checkFrom(a, H + (recordEnd - prevEnd));
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
    let prev: Ahead = { buf: this.buf, head: 0, read: Promise.resolve(this.end), check: Promise.resolve({ from: this.start, to: this.verifiedEnd }) };
    for (const a of this.queue) {
      a.check = this.checkAfter(a, prev);
      prev = a;
    }
  }

  private recycle(b: Buffer): void {
    if (this.reuse && !this.mapper && b.length === this.size) this.spares.push(b);
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
      if (tail <= Math.min(this.headroom, a.head)) {
        // The tail goes in front of the new bytes; a mapped chunk has it there already.
        if (!this.mapper) old.copy(a.buf, a.head - tail, this.start, this.end);
        this.base += this.start - (a.head - tail);
        this.release(this.cur, a.head);
        this.cur = a;
        this.buf = a.buf;
        this.start = a.head - tail;
        this.end = a.head + k;
        if (checked && checked.from >= 0) {
          this.verifiedFrom = checked.from;
          this.verifiedEnd = checked.to;
        } else if (checked) await this.recheck();
      } else {
        // A record larger than the headroom: join the tail and the following chunks in a buffer of its own.
        let nb = Buffer.allocUnsafe(Math.max(n, tail + k, this.chunk));
        old.copy(nb, 0, this.start, this.end);
        a.buf.copy(nb, tail, a.head, a.head + k);
        this.recycle(a.buf);
        this.release(this.cur, 0);
        this.release(a, this.headroom);
        this.cur = { buf: EMPTY };
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
          more.a.buf.copy(nb, end, more.a.head, more.a.head + more.k);
          this.recycle(more.a.buf);
          this.release(more.a, this.headroom);
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
  const map = opts.mmap ?? process.env.FFEM_TFRECORD_MMAP !== '0';
  return new RecordIterator(() => openByteSource(file, compression, opts.chunkBytes ?? DEFAULT_CHUNK, map), file, compression, opts);
}

/** The reader over any byte source (`file` and `compression` only shape the messages); closes `src`. */
export function readTFRecordsFrom(src: ByteSource, file: string, compression: Compression, opts: ReadOptions = {}): AsyncIterableIterator<TFRecord> {
  return new RecordIterator(async () => src, file, compression, opts);
}

/** What the iteration has reached, shared by {@link RecordIterator}'s fast path and {@link read}. */
interface ReadState {
  /** Set once the source is open. */
  w: Window | null;
  /** Index of the next record. */
  index: number;
  /** Looking for the next valid header after a bad length CRC. */
  scanning: boolean;
}

/**
 * The records as an async iterator. Most records are handed out by {@link next}'s fast path: a
 * record that lies whole in the current chunk, on the chain of frames checked off the main thread
 * (or with `verify: false`), while not scanning after corruption; the others (chunk switches,
 * records to check here, corruption, the end) by the generator {@link read}, which shares the
 * state and takes up exactly where the fast path left. The same records and errors either way; the
 * fast path spares an async generator's per-record cost.
 */
class RecordIterator implements AsyncIterableIterator<TFRecord> {
  private readonly st: ReadState = { w: null, index: 0, scanning: false };
  private readonly gen: AsyncGenerator<TFRecord, void, undefined>;
  /** A call of the generator in progress: the next calls wait for it (and then see its outcome, as with a generator). */
  private pending: Promise<IteratorResult<TFRecord>> | null = null;
  /** The generator has finished (end, error or return): no fast path any more. */
  private finished = false;
  private readonly verify: boolean;
  private readonly copy: boolean;
  private readonly stats: ReadStats | undefined;

  constructor(open: () => Promise<ByteSource>, file: string, compression: Compression, opts: ReadOptions) {
    this.gen = read(open, file, compression, opts, this.st);
    this.verify = opts.verify ?? true;
    this.copy = opts.copy ?? false;
    this.stats = opts.verify ?? true ? opts.stats : undefined;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<TFRecord> {
    return this;
  }

  next(): Promise<IteratorResult<TFRecord>> {
    if (this.pending) return this.pending.then(() => this.next(), () => this.next());
    const w = this.st.w;
    if (w && !this.finished && !this.st.scanning && w.end - w.start >= HEADER_BYTES) {
      const b = w.buf;
      const p = w.start;
      if (p === w.verifiedFrom) w.onChain = true;
      const checked = w.onChain && p < w.verifiedEnd;
      if (checked || !this.verify) {
        const length = b.readUInt32LE(p + 4) * 2 ** 32 + b.readUInt32LE(p);
        const total = HEADER_BYTES + length + FOOTER_BYTES;
        if (length <= MAX_RECORD_BYTES && w.end - p >= total) {
          const data = b.subarray(p + HEADER_BYTES, p + HEADER_BYTES + length);
          const record: TFRecord = { data: this.copy ? Buffer.from(data) : data, index: this.st.index, offset: w.base + p };
          if (this.stats) this.stats.checkedOffThread++;
          w.start = p + total;
          this.st.index++;
          return Promise.resolve({ value: record, done: false });
        }
      }
    }
    return this.slow(this.gen.next());
  }

  return(value?: unknown): Promise<IteratorResult<TFRecord>> {
    if (this.pending) return this.pending.then(() => this.return(value), () => this.return(value));
    return this.slow(this.gen.return(undefined));
  }

  throw(e?: unknown): Promise<IteratorResult<TFRecord>> {
    if (this.pending) return this.pending.then(() => this.throw(e), () => this.throw(e));
    return this.slow(this.gen.throw(e));
  }

  private slow(p: Promise<IteratorResult<TFRecord, void>>): Promise<IteratorResult<TFRecord>> {
    const q = p.then(
      (r) => {
        this.pending = null;
        if (r.done) this.finished = true;
        return r as IteratorResult<TFRecord>;
      },
      (e: unknown) => {
        this.pending = null;
        this.finished = true;
        throw e;
      },
    );
    this.pending = q;
    return q;
  }
}

async function* read(open: () => Promise<ByteSource>, file: string, compression: Compression, opts: ReadOptions, st: ReadState): AsyncGenerator<TFRecord, void, undefined> {
  const src = await open();
  const verify = opts.verify ?? true;
  const skip = opts.skipCorrupt ?? false;
  const chunk = opts.chunkBytes ?? DEFAULT_CHUNK;
  // With `copy` no record refers to the read buffers: they can be recycled as with `reuse`.
  const stats = opts.stats;
  const w = new Window(src, chunk, (opts.reuse ?? false) || (opts.copy ?? false), verify && (opts.offThread ?? true), stats);
  st.w = w;

  /** Throws, or (skipCorrupt) reports and returns. */
  const corrupt = (kind: CorruptKind, offset: number, detail: string): void => {
    const err = new TFRecordCorruptError(file, st.index, offset, kind, detail);
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
          if (!st.scanning) corrupt('truncated', offset, `truncated header: ${have} of ${HEADER_BYTES} bytes`);
          return;
        }
      }
      let b = w.buf;
      let p = w.start;
      if (p === w.verifiedFrom) w.onChain = true;
      // On the chain of frames checked off the main thread: both CRCs are already verified.
      let checked = w.onChain && p < w.verifiedEnd;
      const lo = b.readUInt32LE(p);
      const hi = b.readUInt32LE(p + 4);
      if (verify && !checked) {
        const stored = unmaskCrc(b.readUInt32LE(p + 8));
        const actual = crc32c(b.subarray(p, p + 8));
        if (stored !== actual) {
          if (!st.scanning) {
            corrupt('length-crc', offset, `length CRC mismatch (stored 0x${hex(stored)}, computed 0x${hex(actual)})`);
            st.index++;
            st.scanning = true;
          }
          w.start += 1;
          w.onChain = false;
          continue;
        }
      }
      const length = hi * 2 ** 32 + lo;
      if (length > MAX_RECORD_BYTES) {
        if (!st.scanning) corrupt('too-large', offset, `record length ${length} exceeds ${MAX_RECORD_BYTES} bytes`);
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
          if (!st.scanning) {
            corrupt('truncated', offset, `truncated record: length ${length}, only ${have - HEADER_BYTES} bytes of data and footer follow`);
          }
          return;
        }
        b = w.buf;
        p = w.start;
        if (p === w.verifiedFrom) w.onChain = true; // a buffer that starts with this record (see Window.fill)
        checked = w.onChain && p < w.verifiedEnd; // a mapped chunk's check covers the record that straddles into it
      }
      const data = b.subarray(p + HEADER_BYTES, p + HEADER_BYTES + length);
      if (verify && !checked) {
        const stored = unmaskCrc(b.readUInt32LE(p + HEADER_BYTES + length));
        const actual = crc32c(data);
        if (stored !== actual) {
          if (st.scanning) {
            // A header that matched by chance inside garbage: keep scanning.
            w.start += 1;
            w.onChain = false;
            continue;
          }
          w.start += total;
          corrupt('data-crc', offset, `data CRC mismatch (length ${length}, stored 0x${hex(stored)}, computed 0x${hex(actual)})`);
          st.index++;
          continue;
        }
      }
      st.scanning = false;
      if (stats && verify) {
        if (checked) stats.checkedOffThread++;
        else stats.checkedOnThread++;
      }
      w.start += total;
      const record: TFRecord = { data: opts.copy ? Buffer.from(data) : data, index: st.index, offset };
      st.index++; // before the yield: the fast path of RecordIterator may take over from here
      yield record;
    }
  } finally {
    await w.settle();
    await src.close();
  }
}

function hex(x: number): string {
  return x.toString(16).padStart(8, '0');
}
