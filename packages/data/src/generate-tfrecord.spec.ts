import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { sharedData } from '@ffem/testing';
import { decodeFaceRecord, readTFRecords } from '@ffem/tfrecord';
import { generateTFRecord, shardNames } from './generate-tfrecord';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-tfrecord-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function faces(file: string) {
  const out = [];
  for await (const r of readTFRecords(file)) out.push(decodeFaceRecord(r.data));
  return out;
}

/** A small dataset: 3 JPEGs of 40x30 px, a PNG, a text file pretending to be an image, and a missing file. */
async function smallSet(): Promise<{ root: string; json: string }> {
  const root = fs.mkdtempSync(path.join(dir, 'set-'));
  fs.mkdirSync(path.join(root, 'p'));
  const img = (r: number) => sharp({ create: { width: 40, height: 30, channels: 3, background: { r, g: 0, b: 0 } } });
  for (let i = 0; i < 3; i++) await img(i * 50).jpeg().toFile(path.join(root, 'p', `${i}.jpg`));
  await img(200).png().toFile(path.join(root, 'p', 'png.png'));
  fs.writeFileSync(path.join(root, 'p', 'text.jpg'), 'not an image');
  const list = {
    'p/0.jpg': { label: 0, x1: 1, y1: 2, x2: 20, y2: 25 },
    'p/1.jpg': { label: 1, x1: 10, y1: 5, x2: 60, y2: 29 }, // x2 past the 40 px width: clipped
    'p/missing.jpg': { label: 1, x1: 0, y1: 0, x2: 5, y2: 5 },
    'p/text.jpg': { label: 2, x1: 0, y1: 0, x2: 5, y2: 5 },
    'p/2.jpg': { label: 3, x1: 0, y1: 0, x2: 40, y2: 30 },
    'p/png.png': { label: 2, x1: 0, y1: 0, x2: 5, y2: 5 },
    'p/0.jpg-again': { label: 4, x1: 45, y1: 0, x2: 50, y2: 5 },
  };
  fs.copyFileSync(path.join(root, 'p', '0.jpg'), path.join(root, 'p', '0.jpg-again'));
  const json = path.join(root, 'image_list.json');
  fs.writeFileSync(json, JSON.stringify(list));
  return { root, json };
}

describe('generateTFRecord', () => {
  it('writes every image of the LFW dev set with its label and box (5,538 records)', async () => {
    const root = sharedData('lfw-deepfunneled-dev');
    const output = path.join(dir, 'lfw.tfrecord');
    let progress = 0;
    const s = await generateTFRecord({ rootPath: root, jsonFile: path.join(root, 'image_list.json'), output, onProgress: (d) => (progress = d) });
    expect([s.written, s.skipped.length, s.clipped, s.maxLabel, s.numClasses, s.distinctLabels]).toEqual([5538, 0, 0, 1183, 1184, 1184]);
    expect(progress).toBe(5538);
    const recs = await faces(output);
    expect(recs.length).toBe(5538);
    const first = recs[0];
    expect([first.label, first.x1, first.y1, first.x2, first.y2]).toEqual([0, 68, 68, 182, 182]);
    // The original file bytes, unchanged.
    const orig = fs.readFileSync(path.join(root, 'Aaron_Peirsol', 'Aaron_Peirsol_0001.jpg'));
    expect(Buffer.compare(Buffer.from(first.jpeg), orig)).toBe(0);
    expect(recs[recs.length - 1].label).toBe(1183);
  });

  it('skips and names unreadable images, clips boxes, drops labels above max_label', async () => {
    const { root, json } = await smallSet();
    const output = path.join(dir, 'small.tfrecord');
    const s = await generateTFRecord({ rootPath: root, jsonFile: json, output, maxLabel: 3 });
    expect(s.filtered).toBe(1); // label 4
    expect(s.skipped).toEqual([
      { path: 'p/missing.jpg', reason: 'missing file' },
      { path: 'p/text.jpg', reason: expect.stringMatching(/^not a decodable image/) },
    ]);
    expect([s.written, s.clipped, s.maxLabel, s.numClasses, s.distinctLabels]).toEqual([4, 1, 3, 4, 4]);
    const recs = await faces(output);
    expect(recs.map((r) => [r.label, r.x1, r.y1, r.x2, r.y2])).toEqual([
      [0, 1, 2, 20, 25],
      [1, 10, 5, 40, 29],
      [3, 0, 0, 40, 30],
      [2, 0, 0, 5, 5],
    ]);
    expect(fs.readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('skips a box entirely outside its image', async () => {
    const { root, json } = await smallSet();
    const s = await generateTFRecord({ rootPath: root, jsonFile: json, output: path.join(dir, 'all.tfrecord') });
    expect(s.skipped.map((k) => k.path)).toEqual(['p/missing.jpg', 'p/text.jpg', 'p/0.jpg-again']);
    expect(s.skipped[2].reason).toBe('box [45, 0, 50, 5] outside the 40x30 image');
  });

  it('with strict, a missing image is fatal and no output appears', async () => {
    const { root, json } = await smallSet();
    const output = path.join(dir, 'strict.tfrecord');
    await expect(generateTFRecord({ rootPath: root, jsonFile: json, output, strict: true })).rejects.toThrow(
      `${path.join(root, 'p/missing.jpg')}: missing file`,
    );
    expect(fs.existsSync(output)).toBe(false);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('strict'))).toEqual([]);
  });

  it('splits into shards round-robin', async () => {
    const { root, json } = await smallSet();
    const output = path.join(dir, 'sharded.tfrecord.gz');
    const s = await generateTFRecord({ rootPath: root, jsonFile: json, output, shards: 3 });
    expect(s.outputs).toEqual(shardNames(output, 3));
    const counts = await Promise.all(s.outputs.map(async (o) => (await faces(o)).map((r) => r.label)));
    expect(counts).toEqual([[0, 2], [1], [3]]);
  });

  it('names shards as TensorFlow tooling does', () => {
    expect(shardNames('out/train.tfrecord', 4)).toEqual([0, 1, 2, 3].map((i) => `out/train-0000${i}-of-00004.tfrecord`));
    expect(shardNames('x.tfrecord.gz', 2)[1]).toBe('x-00001-of-00002.tfrecord.gz');
    expect(shardNames('x', 2)[0]).toBe('x-00000-of-00002');
    expect(shardNames('x.tfrecord', 1)).toEqual(['x.tfrecord']);
    expect(() => shardNames('x', 0)).toThrow(/shards/);
  });

  it('rejects a root_path that is not a directory', async () => {
    const { json } = await smallSet();
    const nowhere = path.join(dir, 'nowhere');
    await expect(generateTFRecord({ rootPath: nowhere, jsonFile: json, output: path.join(dir, 'n.tfrecord') })).rejects.toThrow(
      `${nowhere}: root_path: no such directory`,
    );
  });

  it('rejects a bad image list naming the key', async () => {
    const json = path.join(dir, 'bad.json');
    fs.writeFileSync(json, JSON.stringify({ 'a.jpg': { label: 0, x1: 5, y1: 0, x2: 5, y2: 9 } }));
    await expect(generateTFRecord({ rootPath: dir, jsonFile: json, output: path.join(dir, 'bad.tfrecord') })).rejects.toThrow(
      `${json}: "a.jpg": x2: must be greater than x1 (5), got 5`,
    );
  });
});
