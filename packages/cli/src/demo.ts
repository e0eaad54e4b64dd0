/**
 * `npm run demo`: the main job in one command. From nothing (synthetic faces) or a real folder
 * (`--data DIR` with an image_list.json) to a trained, exported and evaluated model, beside the
 * same model untrained, through the real `ffem` subcommands. `npm run demo -- --help` lists the flags.
 */
import { CommanderError } from 'commander';
import { parseDemoArgs } from './demo/options';
import { runDemo } from './demo/run-demo';
import { formatSummary } from './demo/summary';

export async function demo(argv: string[]): Promise<number> {
  let opts;
  try {
    opts = parseDemoArgs(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  try {
    const { summary } = await runDemo(opts);
    process.stdout.write(formatSummary(summary));
    return 0;
  } catch (err) {
    process.stderr.write(`\ndemo: error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.FFEM_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

if (require.main === module) {
  demo(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
