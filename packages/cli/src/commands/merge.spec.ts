import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TFRecordWriter, encodeFaceRecord } from '@ffem/tfrecord';
import { runCli } from '../test-cli';

describe('ffem merge', () => {
  let dir: string;
  const make = async (name: string, labels: number[]) => {
    const f = path.join(dir, name);
    const w = await TFRecordWriter.open(f);
    for (const label of labels) await w.write(encodeFaceRecord({ jpeg: Buffer.from(name), label, x1: 0, y1: 0, x2: 1, y2: 1 }));
    await w.close();
    return f;
  };
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-cli-merge-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('merges with the label offsets of --labels and reports them', async () => {
    const a = await make('a.tfrecord', [0, 1]);
    const b = await make('b.tfrecord', [0, 2, 1]);
    const out = path.join(dir, 'm.tfrecord');
    const r = await runCli(['merge', '--out_name', out, '--tfrecord_list', `${a},${b}`, '--labels', '1,2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${a}: 2 records, labels 0..1\n${b}: 3 records, labels 2..4\nwrote ${out}: 5 records, labels 0..4 (5 classes)\n`);
  });

  it('exits 1 naming the problem', async () => {
    const a = await make('c.tfrecord', [0, 5]);
    const out = path.join(dir, 'bad.tfrecord');
    const r = await runCli(['merge', '--out_name', out, '--tfrecord_list', a, '--labels', '3']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ffem: error: .*c\.tfrecord: record 1 at offset \d+: label 5 is above the given max label 3\n$/);
    const r2 = await runCli(['merge', '--out_name', out, '--tfrecord_list', a, '--labels', 'x']);
    expect([r2.code, r2.stderr.includes('--labels must be an integer')]).toEqual([1, true]);
  });
});
