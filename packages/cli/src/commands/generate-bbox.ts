import { Argument, type Command } from 'commander';
import { BBOX_DATASETS, type BboxDataset, generateBbox } from '@ffem/data';

/** `ffem generate-bbox`: image_list.json from a dataset's landmark / box file (as the Python original). */
export function register(program: Command): void {
  program
    .command('generate-bbox')
    .description('write an image_list.json from the landmark / box file of Trillion Pairs, VGGFace2 or RFW')
    .addArgument(new Argument('<dataset>', 'which file format').choices(BBOX_DATASETS))
    .requiredOption('--lndmk <file>', 'landmark file (trillion_pairs: space separated; rfw: tab separated) or VGGFace2 loose_bb CSV')
    .requiredOption('--output <file>', 'image_list.json to write')
    .action(async (dataset: BboxDataset, o: { lndmk: string; output: string }) => {
      const s = await generateBbox(dataset, o.lndmk, o.output);
      const lines = [`wrote ${s.output}: ${s.entries} images, ${s.identities} identities (labels 0..${s.identities - 1}) from ${s.lines} lines`];
      if (s.clamped) lines.push(`coordinates clamped to 0: ${s.clamped}`);
      if (s.skipped.length) {
        lines.push(`lines skipped: ${s.skipped.length}`);
        for (const k of s.skipped.slice(0, 20)) lines.push(`  line ${k.line}: ${k.reason}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
}
