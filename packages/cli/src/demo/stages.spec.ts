import { commandLine, DemoStageError, Stages } from './stages';

describe('Stages', () => {
  it('runs ffem subcommands through the given entry and records one timing per stage', async () => {
    const seen: string[][] = [];
    const lines: string[] = [];
    const stages = new Stages((l) => lines.push(l), async (argv) => {
      seen.push(argv);
      return 0;
    });
    await stages.ffem('generate-tfrecord (train)', ['generate-tfrecord', '--output', 'a b.tfrecord']);
    const v = await stages.run('split', () => 42);
    expect(v).toBe(42);
    expect(seen).toEqual([['generate-tfrecord', '--output', 'a b.tfrecord']]);
    expect(lines).toContain("$ npx ffem generate-tfrecord --output 'a b.tfrecord'");
    expect(stages.timings.map((t) => t.name)).toEqual(['generate-tfrecord (train)', 'split']);
    for (const t of stages.timings) expect(t.seconds).toBeGreaterThanOrEqual(0);
  });

  it('stops on a non-zero exit code with an error naming the stage and the command', async () => {
    const stages = new Stages(() => undefined, async () => 1);
    const err = await stages.ffem('train', ['train', '--config', 'c.json']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DemoStageError);
    expect((err as DemoStageError).stage).toBe('train');
    expect((err as Error).message).toBe("demo stage 'train' failed: 'npx ffem train --config c.json' exited with code 1 (its message is above)");
    expect(stages.timings.map((t) => t.name)).toEqual(['train']);
  });

  it('wraps a thrown error with the stage name', async () => {
    const stages = new Stages(() => undefined, async () => 0);
    await expect(stages.run('split', () => {
      throw new Error('list.json: bad');
    })).rejects.toThrow("demo stage 'split' failed: list.json: bad");
  });

  it('quotes only the words that need it', () => {
    expect(commandLine(['export', '--model', "it's here", '--output', '/a/b.onnx'])).toBe("npx ffem export --model 'it'\\''s here' --output /a/b.onnx");
  });
});
