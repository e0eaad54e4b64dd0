import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../test-cli';

describe('ffem train', () => {
  it('fails with one line naming the config file and key', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-cli-train-'));
    const file = path.join(dir, 'cfg.json');
    fs.writeFileSync(file, JSON.stringify({ model_name: 'x', batch_size: 8, epoch: 1, lr: 0.1, train_file: 'a.tfrecord', num_identity: 2, learning_rate: 1 }));
    const r = await runCli(['train', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ffem: error: ${file}: learning_rate: unknown key\n`);
  });

  it('rejects an unknown backend', async () => {
    const r = await runCli(['train', '--config', 'x.json', '--backend', 'gpu']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--backend: unknown backend 'gpu'");
  });
});
