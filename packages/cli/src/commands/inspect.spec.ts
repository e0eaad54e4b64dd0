import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sharedData } from '@ffem/testing';
import { runCli } from '../test-cli';

describe('ffem inspect', () => {
  it('describes several files, as text or JSON', async () => {
    const a = sharedData('tfrecord-fixtures', 'flowers.tfrecord');
    const b = sharedData('tfrecord-fixtures', 'penguin_eval.tfrecord.gz');
    const r = await runCli(['inspect', a, b]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('records      25');
    expect(r.stdout).toContain('image_raw  bytes x 1');
    expect(r.stdout).toContain('compression  gzip');
    const j = await runCli(['inspect', a, '--json']);
    expect(JSON.parse(j.stdout)).toMatchObject({ records: 25, label: { min: 0, max: 4, distinct: 5 }, crc: { ok: true, corrupt: 0 } });
  });

  it('exits 1 on a corrupt file, naming file, record and offset', async () => {
    const src = fs.readFileSync(sharedData('tfrecord-fixtures', 'flowers.tfrecord'));
    const len0 = Number(src.readBigUInt64LE(0));
    src[16 + len0 + 12 + 3] ^= 4; // record 1's data
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-cli-inspect-')), 'bad.tfrecord');
    fs.writeFileSync(file, src);
    const r = await runCli(['inspect', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('records      24');
    expect(r.stderr).toMatch(
      new RegExp(`^ffem: error: 1 corrupt record\\(s\\) in 1 file\\(s\\); first: ${file}: record 1 at offset ${16 + len0}: data CRC mismatch`),
    );
    fs.rmSync(path.dirname(file), { recursive: true });
  });
});
