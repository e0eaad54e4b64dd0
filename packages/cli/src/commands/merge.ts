import * as fs from 'fs';
import type { Command } from 'commander';
import { mergeTFRecords } from '@ffem/data';
import { intListOption } from '../options';
import { progressBar } from '../progress';

/** `ffem merge`: face TFRecords -> one, interleaved, labels offset (flags as the Python original's). */
export function register(program: Command): void {
  program
    .command('merge')
    .description('merge face TFRecords round-robin; each input\'s labels are offset by the sum of (max label + 1) of the inputs before it')
    .requiredOption('--out_name <file>', 'merged output TFRecord')
    .requiredOption('--tfrecord_list <files>', 'comma-separated inputs, e.g. a.tfrecord,b.tfrecord')
    .option('--labels <list>', 'max label of each input, e.g. 201,305 (default: found by reading the inputs)', intListOption('--labels'))
    .action(async (o: { out_name: string; tfrecord_list: string; labels?: number[] }) => {
      const inputs = o.tfrecord_list.split(',').map((s) => s.trim()).filter(Boolean);
      // Progress in MB of input (uncompressed; for .gz inputs the bar may stop short of the end).
      const totalMB = Math.max(1, Math.round(inputs.reduce((a, f) => a + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0) / 1e6));
      const bar = progressBar('merge (MB)', totalMB);
      const s = await mergeTFRecords({
        inputs,
        maxLabels: o.labels,
        output: o.out_name,
        onProgress: (n, bytes) => {
          if (n % 500 === 0) bar.update(Math.min(totalMB, Math.round(bytes / 1e6)));
        },
      });
      bar.update(totalMB);
      bar.stop();
      const lines = s.inputs.map((i) => `${i.file}: ${i.records} records, labels ${i.labelOffset}..${i.labelOffset + i.maxLabel}`);
      lines.push(`wrote ${s.output}: ${s.written} records, labels 0..${s.maxLabel} (${s.maxLabel + 1} classes)`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
