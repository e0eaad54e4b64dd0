/**
 * `--dump-embeddings OUTDIR`: `embeddings.f32` (float32 little-endian, row-major, N x D, the
 * L2-normalised vectors the metrics used) and `index.json` (`{"dim": D, "items": [{"path",
 * "label", "subset"}, ...]}` in row order).
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from './write-atomic';

export function dumpEmbeddings(
  outDir: string,
  embeddings: Float32Array,
  dim: number,
  items: readonly { path: string; label: number; subset?: string }[],
): { embeddingsFile: string; indexFile: string } {
  if (embeddings.length !== items.length * dim) {
    throw new Error(`dump: ${embeddings.length} values for ${items.length} items of dim ${dim}`);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const bytes = new Uint8Array(embeddings.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < embeddings.length; i++) view.setFloat32(i * 4, embeddings[i], true);
  const embeddingsFile = path.join(outDir, 'embeddings.f32');
  const indexFile = path.join(outDir, 'index.json');
  writeFileAtomic(embeddingsFile, bytes);
  const lines = items.map((it) => '  ' + JSON.stringify(it));
  writeFileAtomic(indexFile, `{"dim": ${dim}, "items": [\n${lines.join(',\n')}\n]}\n`);
  return { embeddingsFile, indexFile };
}

/** Reads a dump back (for tests and for anyone recomputing the metrics). */
export function readEmbeddingsDump(outDir: string): { dim: number; embeddings: Float32Array; items: { path: string; label: number; subset?: string }[] } {
  const index = JSON.parse(fs.readFileSync(path.join(outDir, 'index.json'), 'utf8')) as { dim: number; items: { path: string; label: number }[] };
  const buf = fs.readFileSync(path.join(outDir, 'embeddings.f32'));
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const embeddings = new Float32Array(buf.byteLength / 4);
  for (let i = 0; i < embeddings.length; i++) embeddings[i] = view.getFloat32(i * 4, true);
  if (embeddings.length !== index.items.length * index.dim) {
    throw new Error(`${outDir}: embeddings.f32 holds ${embeddings.length} values, index.json says ${index.items.length} x ${index.dim}`);
  }
  return { dim: index.dim, embeddings, items: index.items };
}
