import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { boxFromLandmarks, generateBbox } from './generate-bbox';
import { readImageList } from './image-list';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-bbox-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Landmark sets and the boxes the original computes for them.
// Python ref: shi510/ffem generate_bbox/trillion_pairs.py rect_from_landmark, transcribed and run
// with numpy 1.24.2 (int32 cast of the float box).
const CASES: Array<[number[], number[]]> = [
  [[38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299, 92.2041], [14, 24, 97, 119]],
  [[30.0, 50.0, 70.0, 50.0, 40.0, 70.0, 35.0, 90.0, 65.0, 90.0], [15, 23, 108, 116]],
  [[10.5, 5.25, 30.75, 6.0, 28.0, 15.5, 14.0, 24.0, 27.0, 25.0], [-11, -7, 35, 38]],
  [[100.0, 120.0, 140.0, 118.0, 121.0, 140.0, 105.0, 165.0, 136.0, 166.0], [73, 86, 166, 198]],
];

function write(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

describe('boxFromLandmarks', () => {
  it.each(CASES)('matches the original for %j', (pts, box) => {
    expect(boxFromLandmarks(pts)).toEqual(box);
  });
  it('wants 10 values', () => {
    expect(() => boxFromLandmarks([1, 2, 3])).toThrow('expected 10 landmark values, got 3');
  });
});

describe('generateBbox', () => {
  it('trillion_pairs: space-separated landmarks, labels by first appearance, negatives clamped', async () => {
    const lines = [
      `id_b/1.jpg idB ${CASES[0][0].join(' ')}`,
      `id_a/1.jpg idA ${CASES[1][0].join(' ')}`,
      '',
      `id_b/2.jpg idB ${CASES[2][0].join(' ')}`,
      `id_c/1.jpg idC ${CASES[3][0].join(' ')}`,
    ];
    const out = path.join(dir, 'tp.json');
    const s = await generateBbox('trillion_pairs', write('tp.txt', lines.join('\n') + '\n'), out);
    expect([s.entries, s.identities, s.lines, s.clamped, s.skipped]).toEqual([4, 3, 4, 1, []]);
    expect(await readImageList(out)).toEqual([
      { path: 'id_b/1.jpg', label: 0, x1: 14, y1: 24, x2: 97, y2: 119 },
      { path: 'id_a/1.jpg', label: 1, x1: 15, y1: 23, x2: 108, y2: 116 },
      { path: 'id_b/2.jpg', label: 0, x1: 0, y1: 0, x2: 35, y2: 38 },
      { path: 'id_c/1.jpg', label: 2, x1: 73, y1: 86, x2: 166, y2: 198 },
    ]);
  });

  it('rfw: tab-separated, leading slash dropped, CRLF tolerated', async () => {
    const text = [`/African/m.1/a.jpg\tm.1\t${CASES[3][0].join('\t')}`, `African/m.2/b.jpg\tm.2\t${CASES[0][0].join('\t')}`].join('\r\n');
    const out = path.join(dir, 'rfw.json');
    await generateBbox('rfw', write('rfw.txt', text), out);
    expect(await readImageList(out)).toEqual([
      { path: 'African/m.1/a.jpg', label: 0, x1: 73, y1: 86, x2: 166, y2: 198 },
      { path: 'African/m.2/b.jpg', label: 1, x1: 14, y1: 24, x2: 97, y2: 119 },
    ]);
  });

  it('vggface: loose_bb CSV -> right = X + W, bottom = Y + H, .jpg added, identity = folder', async () => {
    const csv = ['NAME_ID,X,Y,W,H', 'n000002/0001_01,161,140,224,324', 'n000003/0002_01,-3,5,50,60', 'n000002/0003_02,10,20,30,40'].join('\n');
    const out = path.join(dir, 'vgg.json');
    const s = await generateBbox('vggface', write('loose_bb_train.csv', csv), out);
    expect([s.entries, s.identities, s.clamped]).toEqual([3, 2, 1]);
    expect(await readImageList(out)).toEqual([
      { path: 'n000002/0001_01.jpg', label: 0, x1: 161, y1: 140, x2: 385, y2: 464 },
      { path: 'n000003/0002_01.jpg', label: 1, x1: 0, y1: 5, x2: 47, y2: 65 },
      { path: 'n000002/0003_02.jpg', label: 0, x1: 10, y1: 20, x2: 40, y2: 60 },
    ]);
  });

  it('skips a box that is empty after clamping and keeps labels contiguous', async () => {
    const degenerate = [5, 5, 5, 5, 5, 5, 5, 5, 5, 5];
    const text = [`a/1.jpg A ${degenerate.join(' ')}`, `b/1.jpg B ${CASES[0][0].join(' ')}`].join('\n');
    const out = path.join(dir, 'skip.json');
    const s = await generateBbox('trillion_pairs', write('skip.txt', text), out);
    expect(s.skipped).toEqual([{ line: 1, reason: expect.stringMatching(/^empty box .* for a\/1\.jpg$/) }]);
    expect((await readImageList(out)).map((e) => e.label)).toEqual([0]);
  });

  it('names the file and line of a malformed input', async () => {
    const f1 = write('bad1.txt', `a.jpg A 1 2 3\n`);
    await expect(generateBbox('trillion_pairs', f1, path.join(dir, 'x.json'))).rejects.toThrow(
      `${f1}: line 1: expected path, identity and 10 landmark values, got 5 fields`,
    );
    const f2 = write('bad2.txt', `ok.jpg A ${CASES[0][0].join(' ')}\nb.jpg B 1 2 3 4 5 6 7 8 9 ten\n`);
    await expect(generateBbox('trillion_pairs', f2, path.join(dir, 'x.json'))).rejects.toThrow(`${f2}: line 2: landmark 9: not a number: "ten"`);
    const f3 = write('bad3.csv', 'NAME,X,Y,W,H\n');
    await expect(generateBbox('vggface', f3, path.join(dir, 'x.json'))).rejects.toThrow(`${f3}: line 1: header has no column NAME_ID`);
    expect(fs.existsSync(path.join(dir, 'x.json'))).toBe(false);
  });
});
