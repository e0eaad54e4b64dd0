import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TFRecordWriter, decodeFaceRecord, encodeExample, encodeFaceRecord, readTFRecords, type FaceRecord } from '@ffem/tfrecord';
import { maxLabelOf, mergeTFRecords } from './merge';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'merge-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A face TFRecord whose records carry a tag in the jpeg bytes: `<name>:<i>`. */
async function make(name: string, labels: number[]): Promise<string> {
  const file = path.join(dir, `${name}.tfrecord`);
  const w = await TFRecordWriter.open(file);
  for (const [i, label] of labels.entries()) {
    await w.write(encodeFaceRecord({ jpeg: Buffer.from(`${name}:${i}`), label, x1: i, y1: 1, x2: i + 10, y2: 11 }));
  }
  await w.close();
  return file;
}

async function read(file: string): Promise<Array<[string, number]>> {
  const out: Array<[string, number]> = [];
  for await (const r of readTFRecords(file)) {
    const f: FaceRecord = decodeFaceRecord(r.data);
    out.push([Buffer.from(f.jpeg).toString(), f.label]);
  }
  return out;
}

describe('mergeTFRecords', () => {
  it('interleaves round-robin and offsets labels by the (max label + 1) of earlier inputs', async () => {
    const a = await make('a', [0, 1, 2]);
    const b = await make('b', [0, 4, 1, 0, 3]);
    const c = await make('c', [1]);
    const out = path.join(dir, 'abc.tfrecord');
    const s = await mergeTFRecords({ inputs: [a, b, c], maxLabels: [2, 4, 1], output: out });
    expect(await read(out)).toEqual([
      ['a:0', 0], ['b:0', 3], ['c:0', 9],
      ['a:1', 1], ['b:1', 7],
      ['a:2', 2], ['b:2', 4],
      ['b:3', 3],
      ['b:4', 6],
    ]);
    expect(s.inputs.map((i) => [i.records, i.labelOffset])).toEqual([[3, 0], [5, 3], [1, 8]]);
    expect([s.written, s.maxLabel]).toEqual([9, 9]);
  });

  it('finds the max labels itself when not given (the declared max may exceed the seen one)', async () => {
    const a = await make('a2', [5, 0]);
    const b = await make('b2', [2]);
    expect(await maxLabelOf(a)).toBe(5);
    const out = path.join(dir, 'found.tfrecord');
    const s = await mergeTFRecords({ inputs: [a, b], output: out });
    expect(s.inputs.map((i) => i.labelOffset)).toEqual([0, 6]);
    expect(await read(out)).toEqual([['a2:0', 5], ['b2:0', 8], ['a2:1', 0]]);
    const s2 = await mergeTFRecords({ inputs: [a, b], maxLabels: [9, 2], output: out });
    expect(s2.maxLabel).toBe(12);
  });

  it('refuses a label above the declared max label and leaves no output', async () => {
    const a = await make('a3', [0, 7]);
    const out = path.join(dir, 'refused.tfrecord');
    await expect(mergeTFRecords({ inputs: [a], maxLabels: [3], output: out })).rejects.toThrow(
      new RegExp(`${a}: record 1 at offset \\d+: label 7 is above the given max label 3`),
    );
    expect(fs.existsSync(out)).toBe(false);
    await expect(mergeTFRecords({ inputs: [a, a], maxLabels: [3], output: out })).rejects.toThrow(/2 input files but 1 max labels/);
  });

  it('names the record that is not a face record', async () => {
    const file = path.join(dir, 'notface.tfrecord');
    const w = await TFRecordWriter.open(file);
    await w.write(encodeExample({ image: { bytesList: [Buffer.from('x')] } }));
    await w.close();
    await expect(mergeTFRecords({ inputs: [file], maxLabels: [0], output: path.join(dir, 'nf-out.tfrecord') })).rejects.toThrow(
      `${file}: record 0 at offset 0: face record: missing key 'jpeg'`,
    );
  });
});
