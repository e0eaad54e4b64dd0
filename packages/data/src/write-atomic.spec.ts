import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeFileAtomic } from './write-atomic';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-data-atomic-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes text and bytes, replacing an existing file, and leaves no temp file', () => {
    const file = path.join(dir, 'a.txt');
    writeFileAtomic(file, 'first');
    writeFileAtomic(file, Uint8Array.from([104, 105]));
    expect(fs.readFileSync(file, 'utf8')).toBe('hi');
    expect(fs.readdirSync(dir)).toEqual(['a.txt']);
  });

  it('rethrows a failed rename and removes the temp file', () => {
    const target = path.join(dir, 'occupied');
    fs.mkdirSync(path.join(target, 'child'), { recursive: true });
    expect(() => writeFileAtomic(target, 'x')).toThrow(/EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    expect(fs.existsSync(`${target}.tmp-${process.pid}`)).toBe(false);
  });
});
