import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../test-cli';

describe('ffem generate-bbox', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-cli-bbox-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes an image list from an RFW landmark file', async () => {
    const lndmk = path.join(dir, 'rfw.txt');
    const pts = [100, 120, 140, 118, 121, 140, 105, 165, 136, 166];
    fs.writeFileSync(lndmk, `/Asian/m.1/a.jpg\tm.1\t${pts.join('\t')}\nAsian/m.2/b.jpg\tm.2\t${pts.join('\t')}\n`);
    const out = path.join(dir, 'image_list.json');
    const r = await runCli(['generate-bbox', 'rfw', '--lndmk', lndmk, '--output', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote ${out}: 2 images, 2 identities (labels 0..1) from 2 lines\n`);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))['Asian/m.1/a.jpg']).toEqual({ label: 0, x1: 73, y1: 86, x2: 166, y2: 198 });
  });

  it('refuses an unknown dataset and a missing file', async () => {
    const r = await runCli(['generate-bbox', 'casia', '--lndmk', 'x', '--output', 'y']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Allowed choices are trillion_pairs, vggface, rfw');
    const missing = path.join(dir, 'missing.csv');
    const r2 = await runCli(['generate-bbox', 'vggface', '--lndmk', missing, '--output', path.join(dir, 'o.json')]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(new RegExp(`^ffem: error: .*${missing}`));
  });
});
