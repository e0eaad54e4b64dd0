import type { Command } from 'commander';
import { train } from '@ffem/training';
import { progressEnabled } from '../progress';

const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
type BackendName = (typeof BACKENDS)[number];

export function register(program: Command): void {
  program
    .command('train')
    .description('train a face-embedding model from a JSON config (keys of the original FFEM train/config.py)')
    .requiredOption('--config <file>', 'training config (JSON)')
    .option('--resume', 'continue the run in <output_dir>/<model_name> from its latest checkpoint')
    .option('--backend <name>', `tfjs backend, overriding the config's (${BACKENDS.join(' | ')})`, (v: string) => {
      if (!(BACKENDS as readonly string[]).includes(v)) throw new Error(`--backend: unknown backend '${v}' (${BACKENDS.join(' | ')})`);
      return v as BackendName;
    })
    .action(async (o: { config: string; resume?: boolean; backend?: BackendName }) => {
      // Ctrl-C: the first one saves a checkpoint at the next step boundary and exits cleanly;
      // a second one exits at once (the last checkpoint stays intact: writes are atomic).
      const ctl = new AbortController();
      const onSigint = () => {
        if (ctl.signal.aborted) process.exit(130);
        process.stderr.write('\n[ffem] interrupt: saving a checkpoint (Ctrl-C again to quit at once)\n');
        ctl.abort();
      };
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigint);
      try {
        const r = await train(o.config, { resume: o.resume, backend: o.backend, signal: ctl.signal, progress: progressEnabled() });
        const best = r.bestRecall === null ? '' : `; best recall@1 ${r.bestRecall.toFixed(4)} (epoch ${r.bestEpoch! + 1})`;
        process.stdout.write(`${r.status} at epoch ${r.epoch}, step ${r.step}${best}; run: ${r.runDir}\n`);
        if (r.modelDir) process.stdout.write(`inference model: ${r.modelDir}\nbackbone: ${r.backboneDir}\n`);
        if (r.status === 'interrupted') process.stdout.write(`checkpoint: ${r.latestCheckpoint} (continue with --resume)\n`);
      } finally {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigint);
      }
    });
}
