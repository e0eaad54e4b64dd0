import * as fs from 'fs';
import type { Command } from 'commander';
import { renderPreviewGrid, writeFileAtomic } from '@ffem/data';
import { intOption } from '../options';

/** `ffem preview`: a labelled PNG grid of exactly what the model sees from a face TFRecord. */
export function register(program: Command): void {
  program
    .command('preview')
    .description('write a labelled grid PNG of the first records of a face TFRecord, as the model sees them')
    .requiredOption('--tfrecord <file>', 'face TFRecord (jpeg, label, x1, y1, x2, y2)')
    .requiredOption('--out <png>', 'output PNG')
    .option('--augment', 'apply the training transforms (default: the test transform, exact box crop)', false)
    .option('--boxes', 'show the whole images with their face boxes instead of the model input', false)
    .option('--count <n>', 'number of images', intOption('--count'), 64)
    .option('--size <px>', 'model input side in pixels', intOption('--size'), 112)
    .option('--seed <s>', 'random seed of the augmentation', intOption('--seed'), 0)
    .action(async (o: { tfrecord: string; out: string; augment: boolean; boxes: boolean; count: number; size: number; seed: number }) => {
      if (o.augment && o.boxes) throw new Error('--augment and --boxes exclude each other');
      if (!fs.existsSync(o.tfrecord)) throw new Error(`${o.tfrecord}: no such file`);
      if (o.count < 1) throw new Error(`--count must be >= 1, got ${o.count}`);
      if (o.size < 1) throw new Error(`--size must be >= 1, got ${o.size}`);
      const g = await renderPreviewGrid(o.tfrecord, {
        count: o.count,
        augment: o.augment,
        mode: o.boxes ? 'boxes' : 'model',
        height: o.size,
        width: o.size,
        seed: o.seed,
      });
      writeFileAtomic(o.out, g.png);
      process.stdout.write(`wrote ${o.out}: ${g.count} images (${g.columns}x${g.rows}), labels ${g.labels[0]}..${g.labels[g.labels.length - 1]}\n`);
    });
}
