import type { Command } from 'commander';
import { generateSynthDataset } from '@ffem/data';
import { progressBar } from '../progress';
import { intOption } from '../options';

export function register(program: Command): void {
  program
    .command('synth')
    .description('generate a synthetic face-like dataset (images + image_list.json in the original format)')
    .requiredOption('--out <dir>', 'output folder')
    .requiredOption('--identities <n>', 'number of identities', intOption('--identities'))
    .requiredOption('--images-per-identity <m>', 'images per identity', intOption('--images-per-identity'))
    .option('--size <px>', 'image side in pixels', intOption('--size'), 112)
    .option('--seed <s>', 'random seed', intOption('--seed'), 0)
    .action(async (o: { out: string; identities: number; imagesPerIdentity: number; size: number; seed: number }) => {
      const bar = progressBar('synth', o.identities * o.imagesPerIdentity);
      const r = await generateSynthDataset({ ...o, onProgress: (d) => bar.update(d) }).finally(() => bar.stop());
      process.stdout.write(`wrote ${r.images} images of ${r.identities} identities; image list: ${r.imageList}\n`);
    });
}
