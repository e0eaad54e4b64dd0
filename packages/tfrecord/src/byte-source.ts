/**
 * Sequential byte sources for the reader: a plain file (read straight into the caller's buffer) or
 * a whole-stream GZIP / ZLIB file (inflated by node:zlib). File positions are plain numbers,
 * exact up to 2^53 bytes, so files larger than 4 GiB need nothing special.
 */
import * as fs from 'fs';
import { pipeline } from 'stream';
import * as zlib from 'zlib';
import type { Compression } from './compression';

export interface ByteSource {
  /** Reads up to `length` bytes into `buf[offset..]`; resolves 0 at end of stream. */
  read(buf: Buffer, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
  /**
   * True when reads may be in flight together (each still takes the bytes after the previous
   * call's); a reader then keeps several going, on several threads of libuv's pool.
   */
  readonly concurrent?: boolean;
}

/**
 * A plain file. Each call takes the next `length` bytes of the file at a position of its own
 * (advanced at the call, not at completion), so calls may overlap; a short count means the end
 * of the file (the call reads until `length` bytes or the end).
 */
class FileSource implements ByteSource {
  readonly concurrent = true;
  private position = 0;
  constructor(private readonly fh: fs.promises.FileHandle) {}
  async read(buf: Buffer, offset: number, length: number): Promise<number> {
    const at = this.position;
    this.position += length;
    let n = 0;
    while (n < length) {
      const { bytesRead } = await this.fh.read(buf, offset + n, length - n, at + n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    return n;
  }
  close(): Promise<void> {
    return this.fh.close();
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

export async function openByteSource(file: string, compression: Compression, chunkBytes: number): Promise<ByteSource> {
  if (compression === 'none') return new FileSource(await fs.promises.open(file, 'r'));
  // Open once first so a missing file fails here with the usual ENOENT message.
  await (await fs.promises.open(file, 'r')).close();
  return new InflateSource(file, compression, chunkBytes);
}
