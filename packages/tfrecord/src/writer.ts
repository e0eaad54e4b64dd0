/**
 * TFRecord writer: batches framed records into large writes, optionally through GZIP / ZLIB
 * (whole-stream, as TensorFlow's `TFRecordOptions`). Writes go to `<file>.tmp-<pid>-<n>`, which
 * `close()` flushes, fsyncs and renames to `file`: a half-written file never carries the final name.
 */
import * as fs from 'fs';
import { once } from 'events';
import { pipeline } from 'stream/promises';
import * as zlib from 'zlib';
import { type Compression, resolveCompression } from './compression';
import { FOOTER_BYTES, HEADER_BYTES, MAX_RECORD_BYTES, writeFooter, writeHeader } from './framing';

export interface WriteOptions {
  /** Default `'auto'`: by suffix (`.gz` gzip, `.zlib` zlib, else none). */
  compression?: Compression | 'auto';
  /** Bytes batched per write (default 4 MiB). */
  batchBytes?: number;
  /** zlib level for gzip / zlib, 0-9 (default: zlib's default, 6, as TensorFlow's). */
  compressionLevel?: number;
}

/** Where batches go: the temp file directly, or through a deflater. */
interface Sink {
  /** Takes ownership of `buf` until the returned promise resolves. */
  write(buf: Buffer): Promise<void>;
  /** Flushes everything to the file, fsyncs and closes it. */
  end(): Promise<void>;
  destroy(): Promise<void>;
}

class FileSink implements Sink {
  constructor(private readonly fh: fs.promises.FileHandle) {}
  async write(buf: Buffer): Promise<void> {
    let at = 0;
    while (at < buf.length) {
      const { bytesWritten } = await this.fh.write(buf, at, buf.length - at, null);
      at += bytesWritten;
    }
  }
  async end(): Promise<void> {
    await this.fh.sync();
    await this.fh.close();
  }
  async destroy(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}

class DeflateSink implements Sink {
  private readonly z: zlib.Gzip | zlib.Deflate;
  private readonly done: Promise<void>;

  constructor(
    private readonly out: fs.WriteStream,
    compression: Exclude<Compression, 'none'>,
    level: number,
  ) {
    // TensorFlow's ZlibCompressionOptions: default level, 15-bit window, memLevel 9.
    const o: zlib.ZlibOptions = { level, memLevel: 9, chunkSize: 1 << 20 };
    this.z = compression === 'gzip' ? zlib.createGzip(o) : zlib.createDeflate(o);
    this.done = pipeline(this.z, this.out);
    this.done.catch(() => undefined); // observed in write() / end()
  }

  static async open(file: string, compression: Exclude<Compression, 'none'>, level: number): Promise<DeflateSink> {
    const out = fs.createWriteStream(file, { highWaterMark: 1 << 20 });
    await Promise.race([once(out, 'open'), once(out, 'error').then(([e]) => Promise.reject(e))]);
    return new DeflateSink(out, compression, level);
  }

  async write(buf: Buffer): Promise<void> {
    if (!this.z.write(buf)) await Promise.race([once(this.z, 'drain'), this.done]);
  }

  async end(): Promise<void> {
    this.z.end();
    await this.done; // the write stream has closed its descriptor
    const fh = await fs.promises.open(this.out.path as string, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  async destroy(): Promise<void> {
    this.z.destroy();
    this.out.destroy();
    await this.done.catch(() => undefined);
  }
}

let tmpCounter = 0;
const RESOLVED = Promise.resolve();

export class TFRecordWriter {
  private batch: Buffer;
  private spare: Buffer | null;
  private pos = 0;
  private inflight: Promise<void> = Promise.resolve();
  private busy: Promise<void> | null = null;
  private failed: Error | null = null;
  private state: 'open' | 'closed' = 'open';
  private records = 0;
  private bytes = 0;

  private constructor(
    /** Final path. */
    readonly file: string,
    /** Temporary path written until `close()`. */
    readonly tmpFile: string,
    readonly compression: Compression,
    private readonly sink: Sink,
    private readonly batchBytes: number,
  ) {
    this.batch = Buffer.allocUnsafeSlow(batchBytes);
    // Plain files double-buffer (fill one batch while the other is written); a deflater keeps
    // a reference to what it was given, so it gets a fresh buffer each time.
    this.spare = compression === 'none' ? Buffer.allocUnsafeSlow(batchBytes) : null;
  }

  /** Creates `<file>.tmp-<pid>-<n>` and returns a writer for it. */
  static async open(file: string, opts: WriteOptions = {}): Promise<TFRecordWriter> {
    const compression = resolveCompression(file, opts.compression ?? 'auto');
    const tmp = `${file}.tmp-${process.pid}-${tmpCounter++}`;
    const level = opts.compressionLevel ?? zlib.constants.Z_DEFAULT_COMPRESSION;
    if (!Number.isInteger(level) || level < -1 || level > 9) throw new Error(`${file}: compressionLevel: expected an integer 0-9, got ${level}`);
    const sink = compression === 'none' ? new FileSink(await fs.promises.open(tmp, 'w')) : await DeflateSink.open(tmp, compression, level);
    return new TFRecordWriter(file, tmp, compression, sink, opts.batchBytes ?? 4 << 20);
  }

  /** Records written so far. */
  get count(): number {
    return this.records;
  }

  /** Uncompressed bytes written so far (framing included). */
  get bytesWritten(): number {
    return this.bytes;
  }

  /**
   * Appends one record (the bytes are copied at once or before the promise resolves). Resolves at
   * once unless a batch had to be handed to the file; calls need not be awaited one by one.
   */
  write(data: Uint8Array): Promise<void> {
    try {
      this.check();
    } catch (e) {
      return Promise.reject(e);
    }
    // While a batch is being handed over, later writes queue behind it, in call order.
    if (this.busy) return this.busy.then(() => this.write(data));
    if (data.length > MAX_RECORD_BYTES) {
      return Promise.reject(new Error(`${this.file}: record ${this.records}: ${data.length} bytes is too large`));
    }
    const need = HEADER_BYTES + data.length + FOOTER_BYTES;
    if (this.pos + need > this.batch.length) {
      const busy: Promise<void> = this.writeAfterFlush(data).finally(() => {
        if (this.busy === busy) this.busy = null;
      });
      this.busy = busy;
      return busy;
    }
    this.append(data);
    return RESOLVED;
  }

  private append(data: Uint8Array): void {
    const b = this.batch;
    const p = this.pos;
    writeHeader(b, p, data.length);
    b.set(data, p + HEADER_BYTES);
    writeFooter(b, p + HEADER_BYTES + data.length, data);
    this.pos += HEADER_BYTES + data.length + FOOTER_BYTES;
    this.records++;
    this.bytes += HEADER_BYTES + data.length + FOOTER_BYTES;
  }

  private async writeAfterFlush(data: Uint8Array): Promise<void> {
    await this.flush();
    const need = HEADER_BYTES + data.length + FOOTER_BYTES;
    if (need <= this.batch.length) {
      this.append(data);
      return;
    }
    const own = Buffer.allocUnsafe(need);
    writeHeader(own, 0, data.length);
    own.set(data, HEADER_BYTES);
    writeFooter(own, HEADER_BYTES + data.length, data);
    await this.enqueue(own, false);
    this.records++;
    this.bytes += need;
  }

  /** Flushes, fsyncs and renames the temporary file to its final name. */
  async close(): Promise<void> {
    this.check();
    while (this.busy) await this.busy.catch(() => undefined);
    this.check();
    this.state = 'closed';
    try {
      await this.flush();
      await this.inflight;
      if (this.failed) throw this.failed;
      await this.sink.end();
      await fs.promises.rename(this.tmpFile, this.file);
    } catch (e) {
      await this.sink.destroy();
      await fs.promises.unlink(this.tmpFile).catch(() => undefined);
      throw new Error(`${this.file}: write failed: ${(e as Error).message}`);
    }
  }

  /** Drops everything written: closes and deletes the temporary file. Safe to call more than once. */
  async abort(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    while (this.busy) await this.busy.catch(() => undefined);
    await this.inflight.catch(() => undefined);
    await this.sink.destroy();
    await fs.promises.unlink(this.tmpFile).catch(() => undefined);
  }

  private check(): void {
    if (this.state !== 'open') throw new Error(`${this.file}: writer is closed`);
    if (this.failed) throw new Error(`${this.file}: write failed: ${this.failed.message}`);
  }

  private async flush(): Promise<void> {
    if (this.pos === 0) return;
    const full = this.batch.subarray(0, this.pos);
    const recycle = this.spare !== null;
    this.pos = 0;
    // Wait for the previous batch first: its buffer becomes the next one to fill.
    await this.enqueue(full, recycle);
  }

  /** Waits for the write in flight, then starts writing `buf`. */
  private async enqueue(buf: Buffer, recycle: boolean): Promise<void> {
    await this.inflight;
    if (this.failed) throw this.failed;
    if (recycle) {
      const next = this.spare as Buffer;
      this.spare = this.batch;
      this.batch = next;
    } else if (this.batch.buffer === buf.buffer) {
      this.batch = Buffer.allocUnsafeSlow(this.batchBytes);
    }
    this.inflight = this.sink.write(buf).catch((e: Error) => {
      this.failed = e;
    });
  }
}
