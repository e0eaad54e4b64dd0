import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sharedData } from '@ffem/testing';
import { formatImageList, parseImageList, readImageList, writeImageList } from './image-list';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-list-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const ok = { label: 0, x1: 9, y1: 13, x2: 75, y2: 100 };

describe('image lists', () => {
  it('reads the shared LFW dev list: 5,538 entries, labels 0..1183, the fixed centred box', async () => {
    const list = await readImageList(sharedData('lfw-deepfunneled-dev', 'image_list.json'));
    expect(list.length).toBe(5538);
    expect(list[0]).toEqual({ path: 'Aaron_Peirsol/Aaron_Peirsol_0001.jpg', label: 0, x1: 68, y1: 68, x2: 182, y2: 182 });
    expect(Math.max(...list.map((e) => e.label))).toBe(1183);
    expect(new Set(list.map((e) => e.label)).size).toBe(1184);
  });

  it('keeps file order and round-trips through formatImageList', () => {
    const json = { 'b/2.jpg': { ...ok, label: 1 }, 'a/1.jpg': ok };
    const list = parseImageList(json, 'x.json');
    expect(list.map((e) => e.path)).toEqual(['b/2.jpg', 'a/1.jpg']);
    expect(parseImageList(JSON.parse(formatImageList(list)), 'y.json')).toEqual(list);
    expect(formatImageList([])).toBe('{}\n');
  });

  it.each([
    [{ 'a.jpg': { ...ok, label: 1.5 } }, 'x.json: "a.jpg": label: expected a non-negative integer, got 1.5'],
    [{ 'a.jpg': { ...ok, label: '3' } }, 'x.json: "a.jpg": label: expected a non-negative integer, got "3"'],
    [{ 'a.jpg': { ...ok, x1: -1 } }, 'x.json: "a.jpg": x1: expected a non-negative integer, got -1'],
    [{ 'a.jpg': { ...ok, x2: 9 } }, 'x.json: "a.jpg": x2: must be greater than x1 (9), got 9'],
    [{ 'a.jpg': { ...ok, y2: 5 } }, 'x.json: "a.jpg": y2: must be greater than y1 (13), got 5'],
    [{ 'a.jpg': { label: 0, x1: 1, y1: 1, x2: 2 } }, 'x.json: "a.jpg": y2: missing'],
    [{ 'a.jpg': [1, 2] }, 'x.json: "a.jpg": expected an object'],
    [[ok], 'x.json: expected a JSON object'],
  ])('rejects %j naming the key', (json, message) => {
    expect(() => parseImageList(json, 'x.json')).toThrow(message);
  });

  it('reports invalid JSON with the file name', async () => {
    const f = path.join(dir, 'bad.json');
    fs.writeFileSync(f, '{"a.jpg": {"label": 0,}');
    await expect(readImageList(f)).rejects.toThrow(new RegExp(`${f}: invalid JSON`));
  });

  it('writes atomically', async () => {
    const f = path.join(dir, 'out.json');
    await writeImageList(f, parseImageList({ 'a.jpg': ok }, 'mem'));
    expect(await readImageList(f)).toEqual([{ path: 'a.jpg', ...ok }]);
    expect(fs.readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});
