/**
 * `ffem evaluate` as a user runs it: `bin/ffem.js` in a child process (onnxruntime-node's arrays
 * then live in the same realm as the code checking them, which Jest's sandbox would break).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tinyEmbedder } from '@ffem/evaluate';
import { sharedData } from '@ffem/testing';

const bin = path.join(__dirname, '..', '..', 'bin', 'ffem.js');
let tmp: string;

function ffem(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, FFEM_PROGRESS: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-cli-evaluate-'));
  fs.writeFileSync(path.join(tmp, 'm.onnx'), tinyEmbedder(16, 16, 8, 2).bytes);
  // Two people, three images each, and a pairs file over them.
  const src = sharedData('lfw-deepfunneled-dev');
  const data = path.join(tmp, 'data');
  const entries: string[] = [];
  ['Abdullah', 'Adam_Sandler'].forEach((name, label) => {
    fs.mkdirSync(path.join(data, name), { recursive: true });
    for (let i = 1; i <= 3; i++) {
      const rel = `${name}/${name}_000${i}.jpg`;
      fs.copyFileSync(path.join(src, rel), path.join(data, rel));
      entries.push(`"${rel}": {"label": ${label}, "x1": 68, "y1": 68, "x2": 182, "y2": 182}`);
    }
  });
  fs.writeFileSync(path.join(data, 'image_list.json'), `{\n${entries.join(',\n')}\n}\n`);
  fs.writeFileSync(
    path.join(tmp, 'pairs.txt'),
    '2\nAbdullah\t1\t2\nAdam_Sandler\t1\t3\nAbdullah\t3\tAdam_Sandler\t2\nAbdullah\t2\tAdam_Sandler\t1\n',
  );
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('ffem evaluate', () => {
  it('prints the tables and writes the report, markdown, ROC and embeddings', () => {
    const out = path.join(tmp, 'out');
    const r = ffem(
      'evaluate', '--model', path.join(tmp, 'm.onnx'), '--data', path.join(tmp, 'data'), '--pairs', path.join(tmp, 'pairs.txt'),
      '--recall', '1,2', '--provider', 'cpu', '--json', path.join(out, 'report.json'), '--dump-embeddings', path.join(out, 'dump'),
    );
    expect(r.stderr).toContain('onnxruntime provider: cpu');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/subset\s+images\s+ids\s+R@1\s+R@2\s+MAP@R/);
    expect(r.stdout).toMatch(/^data\s+6\s+2\s/m);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(report.subsets[0]).toMatchObject({ name: 'data', images: 6, identities: 2 });
    expect(report.verification).toMatchObject({ pairs: 4, matched: 2, mismatched: 2, folds: 'balanced' });
    expect(report.verification.roc.thresholds[0]).toBeNull();
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('| subset | images | ids | R@1 | R@2 | MAP@R |');
    expect(fs.readFileSync(path.join(out, 'report.roc.svg'), 'utf8')).toMatch(/^<svg /);
    expect(fs.statSync(path.join(out, 'dump', 'embeddings.f32')).size).toBe(6 * 8 * 4);
    const index = JSON.parse(fs.readFileSync(path.join(out, 'dump', 'index.json'), 'utf8'));
    expect(index.dim).toBe(8);
    expect(index.items[0]).toEqual({ path: 'Abdullah/Abdullah_0001.jpg', label: 0, subset: 'data' });
    expect(fs.readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('fails with one line naming the missing model', () => {
    const missing = path.join(tmp, 'missing.onnx');
    const r = ffem('evaluate', '--model', missing, '--data', path.join(tmp, 'data'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ffem: error: ${missing}: cannot read the model (ENOENT)\n`);
  });

  it('rejects an unknown metric and a call without test data', () => {
    const bad = ffem('evaluate', '--model', 'm.onnx', '--data', 'd', '--metric', 'dot');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--metric <m>' argument 'dot' is invalid. Allowed choices are cos, l2/);
    const none = ffem('evaluate', '--model', path.join(tmp, 'm.onnx'));
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('ffem: error: evaluate: give --test FILE... or --data DIR\n');
  });
});
