/**
 * `ffem`: one command line, many subcommands. This file only wires them up; each subcommand lives
 * in `commands/<name>.ts`, parses its flags and calls the libraries.
 */
import { Command, CommanderError } from 'commander';
import { commands } from './commands';

export function buildProgram(): Command {
  const program = new Command('ffem')
    .description('FFEM-TS: build TFRecords, train, export to ONNX and evaluate face-embedding models')
    .version(require('../package.json').version)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0; usage errors with 1.
      return err.exitCode;
    }
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`ffem: error: ${msg}\n`);
    if (process.env.FFEM_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
