/**
 * Reads several TFRecord shards as one stream, round-robin: one record from each file in turn
 * (files that end drop out of the cycle). Deterministic: the same files give the same order.
 * Each record is numbered by its position in that stream (`index`), which seeds its randomness.
 */
import { readTFRecords, type TFRecordCorruptError } from '@ffem/tfrecord';

export interface StreamRecord {
  /** The record's payload (own copy). */
  data: Buffer;
  /** Position in the interleaved stream, 0-based. */
  index: number;
  /** The shard and the record's index/offset inside it (for messages). */
  file: string;
  fileIndex: number;
  offset: number;
}

export interface InterleaveOptions {
  /** Skip records whose framing/CRC is corrupt instead of throwing; each is reported to onCorrupt. */
  skipCorrupt?: boolean;
  onCorrupt?: (err: TFRecordCorruptError) => void;
}

/** Read buffers of all open shards together stay near this (each shard between 256 KiB and 4 MiB). */
const TOTAL_CHUNK_BYTES = 64 << 20;

export async function* interleaveRecords(files: readonly string[], opts: InterleaveOptions = {}): AsyncGenerator<StreamRecord> {
  const chunkBytes = Math.max(256 << 10, Math.min(4 << 20, Math.floor(TOTAL_CHUNK_BYTES / Math.max(1, files.length))));
  const readers = files.map((file) => ({
    file,
    it: readTFRecords(file, { copy: true, chunkBytes, skipCorrupt: opts.skipCorrupt, onCorrupt: opts.onCorrupt }),
  }));
  let active = readers.slice();
  let index = 0;
  try {
    while (active.length > 0) {
      const next: typeof active = [];
      for (const r of active) {
        const res = await r.it.next();
        if (res.done) continue;
        next.push(r);
        yield { data: res.value.data, index: index++, file: r.file, fileIndex: res.value.index, offset: res.value.offset };
      }
      active = next;
    }
  } finally {
    // Close readers left open (consumer stopped early or an error was thrown).
    await Promise.all(readers.map((r) => r.it.return?.(undefined)));
  }
}
