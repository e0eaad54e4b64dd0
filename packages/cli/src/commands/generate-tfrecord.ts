import type { Command } from 'commander';
import { generateTFRecord } from '@ffem/data';
import { intOption } from '../options';
import { progressBar, type Progress } from '../progress';

interface Opts {
  root_path: string;
  json_file: string;
  output: string;
  max_label?: number;
  shards: number;
  strict: boolean;
}

/** `ffem generate-tfrecord`: image list + images -> face TFRecord(s) (flags as the Python original's). */
export function register(program: Command): void {
  program
    .command('generate-tfrecord')
    .description('write a face TFRecord (jpeg, label, x1, y1, x2, y2) from an image_list.json and its images')
    .requiredOption('--root_path <dir>', 'folder the image paths in --json_file are relative to')
    .requiredOption('--json_file <file>', 'image list: {"rel/path.jpg": {"label": 0, "x1": 9, "y1": 13, "x2": 75, "y2": 100}, ...}')
    .requiredOption('--output <file>', 'output NAME.tfrecord (NAME.tfrecord.gz: GZIP)')
    .option('--max_label <n>', 'keep only images with label <= n', intOption('--max_label'))
    .option('--shards <n>', 'split into n files NAME-0000i-of-0000n.tfrecord, round-robin', intOption('--shards'), 1)
    .option('--strict', 'a missing or unreadable image is an error instead of a skip', false)
    .action(async (o: Opts) => {
      let bar: Progress | null = null;
      const s = await generateTFRecord({
        rootPath: o.root_path,
        jsonFile: o.json_file,
        output: o.output,
        maxLabel: o.max_label,
        shards: o.shards,
        strict: o.strict,
        onProgress: (done, total) => {
          bar ??= progressBar('generate-tfrecord', total);
          bar.update(done);
        },
      });
      (bar as Progress | null)?.stop();
      const out: string[] = [
        `wrote ${s.outputs.join(', ')}`,
        `images written: ${s.written}`,
        `images skipped: ${s.skipped.length}`,
      ];
      const shown = s.skipped.slice(0, 20);
      for (const k of shown) out.push(`  ${k.path}: ${k.reason}`);
      if (s.skipped.length > shown.length) out.push(`  ... and ${s.skipped.length - shown.length} more`);
      if (s.filtered) out.push(`above --max_label (dropped): ${s.filtered}`);
      out.push(`boxes clipped to the image: ${s.clipped}`);
      out.push(`max label: ${s.maxLabel}`);
      out.push(`number of classes: ${s.numClasses} (labels 0..${s.maxLabel}; ${s.distinctLabels} present)`);
      process.stdout.write(out.join('\n') + '\n');
    });
}
