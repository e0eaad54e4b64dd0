import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sharedData } from '@ffem/testing';
import { runCli } from '../test-cli';

describe('ffem generate-tfrecord', () => {
  const root = sharedData('lfw-deepfunneled-dev');
  let dir: string;
  let list: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-cli-gen-'));
    const all = JSON.parse(fs.readFileSync(path.join(root, 'image_list.json'), 'utf8')) as Record<string, { label: number }>;
    const some = Object.fromEntries(Object.entries(all).filter(([, e]) => e.label < 3));
    some['Nobody/Nobody_0001.jpg'] = { label: 3, x1: 0, y1: 0, x2: 10, y2: 10 } as never;
    list = path.join(dir, 'list.json');
    fs.writeFileSync(list, JSON.stringify(some));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the records and prints the summary, naming skipped images', async () => {
    const out = path.join(dir, 'out.tfrecord');
    const r = await runCli(['generate-tfrecord', '--root_path', root, '--json_file', list, '--output', out, '--shards', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('images skipped: 1\n  Nobody/Nobody_0001.jpg: missing file');
    expect(r.stdout).toMatch(/images written: \d+\n/);
    expect(r.stdout).toContain('max label: 2\nnumber of classes: 3');
    expect(fs.existsSync(path.join(dir, 'out-00001-of-00002.tfrecord'))).toBe(true);
  });

  it('exits 1 with one line when --strict meets a missing image, or the list is not JSON', async () => {
    const out = path.join(dir, 'strict.tfrecord');
    const r = await runCli(['generate-tfrecord', '--root_path', root, '--json_file', list, '--output', out, '--strict']);
    expect([r.code, r.stderr]).toEqual([1, `ffem: error: ${path.join(root, 'Nobody/Nobody_0001.jpg')}: missing file\n`]);
    expect(fs.existsSync(out)).toBe(false);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{');
    const r2 = await runCli(['generate-tfrecord', '--root_path', root, '--json_file', bad, '--output', out]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(new RegExp(`^ffem: error: ${bad}: invalid JSON`));
  });

  it('rejects a non-integer --max_label naming the flag', async () => {
    const r = await runCli(['generate-tfrecord', '--root_path', root, '--json_file', list, '--output', 'x', '--max_label', 'many']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--max_label must be an integer');
  });
});
