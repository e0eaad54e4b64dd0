/**
 * Sequential byte sources for the reader: a plain file (read straight into the caller's buffer,
 * or, where the addon is built, mapped into memory: see {@link Mapper}) or a whole-stream GZIP /
 * ZLIB file (inflated by node:zlib). File positions are plain numbers,
 * exact up to 2^53 bytes, so files larger than 4 GiB need nothing special.
 */
import * as fs from 'fs';
import { pipeline } from 'stream';
import * as zlib from 'zlib';
import type { Compression } from './compression';
import { mapFileNative, releasePagesNative } from './crc32c';

export interface ByteSource {
  /** Reads up to `length` bytes into `buf[offset..]`; resolves 0 at end of stream. */
  read(buf: Buffer, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
  /**
   * True when reads may be in flight together (each still takes the bytes after the previous
   * call's); a reader then keeps several going, on several threads of libuv's pool.
   */
  readonly concurrent?: boolean;
  /**
   * Plain regular files where the addon is built (see {@link openByteSource}); a reader that maps
   * takes its bytes from the mapper only, never from `read`.
   */
  readonly mapper?: Mapper;
}

export interface Mapper {
  /** The file's size when it was opened or last {@link refresh}ed (never less). */
  readonly size: number;
  /** Takes the file's size anew (a file that grows while it is read is read to its new end, as `read` does). */
  refresh(): Promise<number>;
  /** The file's size now (fstat). */
  currentSize(): Promise<number>;
  /**
   * A read-only mapping of bytes `[offset, offset + length)` of the file, as a Buffer; rejects
   * where the file cannot be mapped or has become shorter than the range.
   */
  map(offset: number, length: number): Promise<Buffer>;
  /** Bytes `[offset, offset + length)` read into a fresh buffer (shorter at the end of the file). */
  readAt(offset: number, length: number): Promise<Buffer>;
  /**
   * Lets the kernel unmap the pages of `mapping[from..to)` (a Buffer from {@link map}) that the
   * reader has passed, so that few stay resident; views of them stay valid (mapped again on access).
   */
  release(mapping: Buffer, from: number, to: number): void;
}

/**
 * A plain file. Each call takes the next `length` bytes of the file at a position of its own
 * (advanced at the call, not at completion), so calls may overlap; a short count means the end
 * of the file (the call reads until `length` bytes or the end).
 */
/** Reads file bytes `[at, at + length)` into `buf[offset..]`; fewer only at the end of the file. */
async function readFully(fh: fs.promises.FileHandle, buf: Buffer, offset: number, length: number, at: number): Promise<number> {
  let n = 0;
  while (n < length) {
    const { bytesRead } = await fh.read(buf, offset + n, length - n, at + n);
    if (bytesRead === 0) break;
    n += bytesRead;
  }
  return n;
}

class FileSource implements ByteSource {
  readonly concurrent = true;
  private position = 0;
  constructor(protected readonly fh: fs.promises.FileHandle) {}
  read(buf: Buffer, offset: number, length: number): Promise<number> {
    const at = this.position;
    this.position += length;
    return readFully(this.fh, buf, offset, length, at);
  }
  close(): Promise<void> {
    return this.fh.close();
  }
}

/** A plain regular file of `size` bytes (at open) that is mapped rather than read (see {@link ByteSource.mapper}). */
class MappedFileSource extends FileSource implements Mapper {
  readonly mapper: Mapper = this;
  constructor(
    fh: fs.promises.FileHandle,
    public size: number,
    private readonly mapFile: NonNullable<typeof mapFileNative>,
  ) {
    super(fh);
  }
  async refresh(): Promise<number> {
    this.size = Math.max(this.size, await this.currentSize());
    return this.size;
  }
  async currentSize(): Promise<number> {
    return (await this.fh.stat()).size;
  }
  map(offset: number, length: number): Promise<Buffer> {
    return this.mapFile(this.fh.fd, offset, length);
  }
  release(mapping: Buffer, from: number, to: number): void {
    releasePagesNative?.(mapping, from, to);
  }
  async readAt(offset: number, length: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(length);
    const n = await readFully(this.fh, buf, 0, length, offset);
    return n < length ? buf.subarray(0, n) : buf;
  }
}

class InflateSource implements ByteSource {
  private readonly chunks: AsyncIterator<Buffer>;
  private pending: Buffer | null = null;
  private done = false;
  private readonly input: fs.ReadStream;
  private readonly inflate: zlib.Gunzip | zlib.Inflate;

  constructor(file: string, compression: Exclude<Compression, 'none'>, chunkBytes: number) {
    this.input = fs.createReadStream(file, { highWaterMark: chunkBytes });
    this.inflate = compression === 'gzip' ? zlib.createGunzip({ chunkSize: chunkBytes }) : zlib.createInflate({ chunkSize: chunkBytes });
    // pipeline() forwards errors of the file stream to the inflater, which the iterator rethrows.
    const out = pipeline(this.input, this.inflate, () => undefined);
    this.chunks = out[Symbol.asyncIterator]();
  }

  async read(buf: Buffer, offset: number, length: number): Promise<number> {
    let n = 0;
    while (n < length) {
      if (!this.pending || this.pending.length === 0) {
        if (this.done || n > 0) break; // return what we have rather than wait
        const next = await this.chunks.next();
        if (next.done) {
          this.done = true;
          break;
        }
        this.pending = next.value;
      }
      const take = Math.min(length - n, this.pending.length);
      this.pending.copy(buf, offset + n, 0, take);
      this.pending = this.pending.subarray(take);
      n += take;
    }
    return n;
  }

  async close(): Promise<void> {
    this.input.destroy();
    this.inflate.destroy();
  }
}

/**
 * The byte source of `file`. With `map` (and the addon built), a plain regular file that is not
 * empty comes with a {@link Mapper}: the reader then maps it (in segments of many chunks) instead
 * of reading it.
 */
export async function openByteSource(file: string, compression: Compression, chunkBytes: number, map = false): Promise<ByteSource> {
  if (compression === 'none') {
    const fh = await fs.promises.open(file, 'r');
    if (map && mapFileNative) {
      try {
        const st = await fh.stat();
        if (st.isFile() && st.size > 0) return new MappedFileSource(fh, st.size, mapFileNative);
      } catch (e) {
        await fh.close();
        throw e;
      }
    }
    return new FileSource(fh);
  }
  // Open once first so a missing file fails here with the usual ENOENT message.
  await (await fs.promises.open(file, 'r')).close();
  return new InflateSource(file, compression, chunkBytes);
}
