import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stages } from './stages';
import { trainWithBudget } from './train-stage';

/** Writes what `ffem train` leaves: a latest checkpoint with its loop state, and optionally the model. */
function leaveRun(runDir: string, state: { epoch: number; step: number; stepInEpoch: number }, model: boolean): void {
  const ckpt = path.join(runDir, 'checkpoints', 'ckpt-000001-x');
  fs.mkdirSync(ckpt, { recursive: true });
  fs.writeFileSync(path.join(ckpt, 'checkpoint.json'), JSON.stringify({ format: 'x', state, tensors: [] }));
  fs.writeFileSync(path.join(runDir, 'checkpoints', 'latest.json'), JSON.stringify({ dir: 'ckpt-000001-x' }));
  if (model) {
    fs.mkdirSync(path.join(runDir, 'model'), { recursive: true });
    fs.writeFileSync(path.join(runDir, 'model', 'model.json'), '{}');
  }
}

describe('trainWithBudget', () => {
  let dir: string;
  let configFile: string;
  let runDir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-train-stage-'));
    configFile = path.join(dir, 'train-config.json');
    fs.writeFileSync(configFile, JSON.stringify({ model_name: 'demo', epoch: 10 }));
    runDir = path.join(dir, 'runs', 'demo');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when the budget runs out: interrupts as Ctrl-C does, then finishes with --resume and the completed epochs', async () => {
    const calls: string[][] = [];
    const cli = async (argv: string[]) => {
      calls.push(argv);
      if (!argv.includes('--resume')) {
        // As `ffem train`: a SIGINT listener; on the signal, a checkpoint mid-epoch 4 and exit 0.
        await new Promise<void>((resolve) => {
          const onSigint = () => {
            process.off('SIGINT', onSigint);
            resolve();
          };
          process.on('SIGINT', onSigint);
        });
        leaveRun(runDir, { epoch: 3, step: 40, stepInEpoch: 4 }, false);
        return 0;
      }
      const cfg = JSON.parse(fs.readFileSync(argv[argv.indexOf('--config') + 1], 'utf8'));
      expect(cfg).toEqual({ model_name: 'demo', epoch: 3 });
      leaveRun(runDir, { epoch: 3, step: 40, stepInEpoch: 4 }, true);
      return 0;
    };
    const stages = new Stages(() => undefined, cli);
    const r = await trainWithBudget(stages, configFile, runDir, 0.001);
    expect(r).toEqual({ stoppedBy: 'budget', epochs: 3, modelDir: path.join(runDir, 'model') });
    expect(calls).toEqual([
      ['train', '--config', configFile],
      ['train', '--config', path.join(dir, 'train-config.finish.json'), '--resume'],
    ]);
    expect(stages.timings.map((t) => t.name)).toEqual(['train', 'train: finish (--resume)']);
  });

  it('a run that ends by itself is taken as it is', async () => {
    const cli = async () => {
      leaveRun(runDir, { epoch: 10, step: 100, stepInEpoch: 0 }, true);
      return 0;
    };
    const r = await trainWithBudget(new Stages(() => undefined, cli), configFile, runDir, 5);
    expect(r).toEqual({ stoppedBy: 'run', epochs: 10, modelDir: path.join(runDir, 'model') });
  });

  it('an interruption that was not the budget (the user pressed Ctrl-C) stops the demo with how to continue', async () => {
    const cli = async () => {
      leaveRun(runDir, { epoch: 1, step: 5, stepInEpoch: 5 }, false);
      return 0;
    };
    await expect(trainWithBudget(new Stages(() => undefined, cli), configFile, runDir, 0)).rejects.toThrow(
      `demo stage 'train' failed: interrupted before the inference model was saved; continue with: npx ffem train --config ${configFile} --resume`,
    );
  });
});
