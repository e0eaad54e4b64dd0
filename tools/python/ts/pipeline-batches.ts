/**
 * Interop helper: runs @ffem/data's training input pipeline over TFRecord files with the test
 * transform (no augmentation, no shuffle) and dumps what the trainer would get.
 *
 *   npx tsx tools/python/ts/pipeline-batches.ts OUT_DIR HEIGHT WIDTH BATCH FILE...
 *
 * Writes OUT_DIR/images.bin (float32 [N, H, W, 3], batches concatenated) and prints
 * {"labels": [...], "batches": [sizes...]}.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createPipeline } from '@ffem/data';

async function main(): Promise<void> {
  const [outDir, h, w, batch, ...files] = process.argv.slice(2);
  if (!outDir || !files.length) throw new Error('usage: pipeline-batches.ts OUT_DIR HEIGHT WIDTH BATCH FILE...');
  const p = createPipeline({ files, batchSize: Number(batch), height: Number(h), width: Number(w), augment: false, shuffle: false, workers: 0, seed: 1 });
  const images: Buffer[] = [];
  const labels: number[] = [];
  const batches: number[] = [];
  try {
    for await (const b of p.epoch(0)) {
      images.push(Buffer.from(b.images.buffer, b.images.byteOffset, b.images.byteLength));
      labels.push(...b.labels);
      batches.push(b.size);
    }
  } finally {
    await p.close();
  }
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'images.bin'), Buffer.concat(images));
  process.stdout.write(JSON.stringify({ labels, batches }) + '\n');
}

main().catch((e: Error) => {
  process.stderr.write(`pipeline-batches: error: ${e.message}\n`);
  process.exit(1);
});
