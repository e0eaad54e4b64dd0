/**
 * The demo's stages: each one timed, announced, and driven through the real `ffem` entry
 * (`main(argv)`), so the demo runs exactly what a user would type.
 */
import { main } from '../main';

export interface StageTiming {
  name: string;
  seconds: number;
}

/** A stage failed: names the stage, and the command line when it was an `ffem` subcommand. */
export class DemoStageError extends Error {
  constructor(
    readonly stage: string,
    message: string,
  ) {
    super(`demo stage '${stage}' failed: ${message}`);
    this.name = 'DemoStageError';
  }
}

/** Quotes an argument for display when it holds spaces or shell characters. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command line a user would type for `argv`. */
export function commandLine(argv: readonly string[]): string {
  return ['npx', 'ffem', ...argv].map(shellWord).join(' ');
}

export type Cli = (argv: string[]) => Promise<number>;

export class Stages {
  readonly timings: StageTiming[] = [];

  constructor(
    private readonly log: (line: string) => void,
    /** The `ffem` entry; the real one unless a test gives another. */
    private readonly cli: Cli = main,
  ) {}

  /** Runs one stage: announces it, times it, and turns a failure into a DemoStageError naming it. */
  async run<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    this.log(`\n== ${name} ==`);
    const t0 = performance.now();
    try {
      return await fn();
    } catch (err) {
      if (err instanceof DemoStageError) throw err;
      throw new DemoStageError(name, err instanceof Error ? err.message : String(err));
    } finally {
      this.timings.push({ name, seconds: (performance.now() - t0) / 1000 });
    }
  }

  /** Runs `ffem <argv>` as a stage; a non-zero exit code stops the demo. */
  async ffem(name: string, argv: string[]): Promise<void> {
    await this.run(name, async () => {
      this.log(`$ ${commandLine(argv)}`);
      const code = await this.cli(argv);
      if (code !== 0) throw new DemoStageError(name, `'${commandLine(argv)}' exited with code ${code} (its message is above)`);
    });
  }

  get totalSeconds(): number {
    return this.timings.reduce((s, t) => s + t.seconds, 0);
  }
}
