import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CheckpointStore, locateCheckpoint, readCheckpoint, writeCheckpoint, type CheckpointData } from './checkpoint';

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-ckpt-'));
  made.push(d);
  return d;
}

function data(step: number, w = 0.5): CheckpointData {
  return {
    meta: { state: { step }, note: 'x' },
    tensors: {
      model: [{ name: 'dense/kernel', shape: [2, 2], dtype: 'float32', data: Float32Array.of(w, -1, 2, 3.25) }],
      optimizer: [{ name: 'iter', shape: [], dtype: 'int32', data: Int32Array.of(step) }],
    },
  };
}

describe('writeCheckpoint / readCheckpoint', () => {
  it('round-trips tensors and metadata exactly', () => {
    const dir = path.join(tmp(), 'c');
    writeCheckpoint(dir, data(7, 0.1));
    const back = readCheckpoint(dir);
    expect(back.meta).toEqual({ state: { step: 7 }, note: 'x' });
    expect(back.tensors.model[0]).toEqual({ name: 'dense/kernel', shape: [2, 2], dtype: 'float32', data: Float32Array.of(0.1, -1, 2, 3.25) });
    expect(back.tensors.optimizer[0].data).toEqual(Int32Array.of(7));
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['c']); // no temp folder left
  });

  it('refuses NaN / Inf weights and leaves nothing behind', () => {
    const root = tmp();
    expect(() => writeCheckpoint(path.join(root, 'c'), data(1, NaN))).toThrow(/non-finite value: model\/dense\/kernel\[0\] = NaN/);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('names the file and tensor of a truncated weights file', () => {
    const dir = path.join(tmp(), 'c');
    writeCheckpoint(dir, data(1));
    fs.truncateSync(path.join(dir, 'weights.bin'), 10);
    expect(() => readCheckpoint(dir)).toThrow(/weights\.bin: offset 0: tensor model\/dense\/kernel runs past the end/);
  });
});

describe('CheckpointStore', () => {
  it('keeps only what latest and best name, and cleans up a killed writer\'s temp folder', () => {
    const root = tmp();
    const store = new CheckpointStore(root);
    fs.mkdirSync(path.join(root, 'ckpt-000009-step-9.tmp-12345')); // a killed process's leftover
    const a = store.save(data(1), ['latest', 'best'], 'epoch-1');
    const b = store.save(data(2), ['latest'], 'epoch-2');
    const c = store.save(data(3), ['latest'], 'epoch-3');
    expect(store.resolve('latest')).toBe(c);
    expect(store.resolve('best')).toBe(a);
    const names = fs.readdirSync(root).sort();
    expect(names).toEqual(['best.json', path.basename(a), path.basename(c), 'latest.json'].sort());
    expect(fs.existsSync(b)).toBe(false);
    expect((readCheckpoint(store.resolve('latest')!).meta.state as { step: number }).step).toBe(3);
  });

  it('locateCheckpoint accepts a checkpoint folder, a checkpoints folder or a run folder', () => {
    const run = tmp();
    const store = new CheckpointStore(path.join(run, 'checkpoints'));
    const dir = store.save(data(4), ['latest'], 'step-4');
    expect(locateCheckpoint(dir)).toBe(dir);
    expect(locateCheckpoint(path.join(run, 'checkpoints'))).toBe(dir);
    expect(locateCheckpoint(run)).toBe(dir);
    expect(() => locateCheckpoint(tmp())).toThrow(/no checkpoint here/);
  });
});
