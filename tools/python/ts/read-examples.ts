/**
 * Interop helper: reads a TFRecord file with @ffem/tfrecord (readTFRecords + decodeExample) and
 * prints one JSON document: {records: [{index, offset, bytes, features}]}, where a feature is
 * {bytes: [base64...]} | {floatBits: [uint32...]} | {int64: ["decimal"...]}: float32 values as
 * their IEEE bit patterns and int64 as decimal strings, so that NaN, -0 and 2^63 - 1 survive JSON.
 *
 *   npx tsx tools/python/ts/read-examples.ts FILE [none|gzip|zlib|auto]
 */
import { decodeExample, readTFRecords, type Compression } from '@ffem/tfrecord';

async function main(): Promise<void> {
  const [file, compression = 'auto'] = process.argv.slice(2);
  if (!file) throw new Error('usage: read-examples.ts FILE [none|gzip|zlib|auto]');
  const records: unknown[] = [];
  for await (const r of readTFRecords(file, { compression: compression as Compression | 'auto' })) {
    const features: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(decodeExample(r.data))) {
      if ('bytesList' in f) features[k] = { bytes: f.bytesList.map((b) => Buffer.from(b).toString('base64')) };
      else if ('floatList' in f) features[k] = { floatBits: Array.from(new Uint32Array(Float32Array.from(f.floatList).buffer)) };
      else features[k] = { int64: f.int64List.map((v) => v.toString()) };
    }
    records.push({ index: r.index, offset: r.offset, bytes: r.data.length, features });
  }
  process.stdout.write(JSON.stringify({ file, records }) + '\n');
}

main().catch((e: Error) => {
  process.stderr.write(`read-examples: error: ${e.message}\n`);
  process.exit(1);
});
