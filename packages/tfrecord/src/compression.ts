/** Whole-stream compression of a TFRecord file, as TensorFlow's `TFRecordOptions(compression_type=...)`. */
export type Compression = 'none' | 'gzip' | 'zlib';

const ALL: readonly string[] = ['none', 'gzip', 'zlib', 'auto'];

/**
 * The compression to use for `file`: the one given, or for `'auto'` (the default) chosen by suffix:
 * `.gz` / `.gzip` -> gzip, `.zlib` -> zlib, anything else -> none.
 */
export function resolveCompression(file: string, compression: Compression | 'auto' = 'auto'): Compression {
  if (!ALL.includes(compression)) {
    throw new Error(`${file}: compression: expected none, gzip, zlib or auto, got ${JSON.stringify(compression)}`);
  }
  if (compression !== 'auto') return compression;
  const lower = file.toLowerCase();
  if (lower.endsWith('.gz') || lower.endsWith('.gzip')) return 'gzip';
  if (lower.endsWith('.zlib')) return 'zlib';
  return 'none';
}
