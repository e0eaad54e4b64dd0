import * as fs from 'fs';
import * as path from 'path';
import { sharedData } from '@ffem/testing';
import { balancedFolds } from './verification';
import { lfwImagePath, pairFolds, parsePairs } from './pairs';

describe('parsePairs', () => {
  it("reads LFW's pairsDevTrain.txt: 1,100 matched then 1,100 mismatched, every image present", () => {
    const file = sharedData('lfw-pairs-devtrain', 'pairs.txt');
    const pairs = parsePairs(fs.readFileSync(file, 'utf8'), file);
    expect(pairs).toHaveLength(2200);
    expect(pairs.filter((p) => p.same)).toHaveLength(1100);
    expect(pairs.slice(0, 1100).every((p) => p.same)).toBe(true);
    expect(pairs[0]).toEqual({ a: 'Aaron_Peirsol/Aaron_Peirsol_0001.jpg', b: 'Aaron_Peirsol/Aaron_Peirsol_0002.jpg', same: true, fold: null, line: 2 });
    expect(pairs[1100]).toMatchObject({ a: 'AJ_Cook/AJ_Cook_0001.jpg', b: 'Marsha_Thomason/Marsha_Thomason_0001.jpg', same: false, line: 1102 });
    expect(pairFolds(pairs)).toBeNull();
    const dir = path.dirname(file);
    const missing = pairs.flatMap((p) => [p.a, p.b]).filter((p) => !fs.existsSync(path.join(dir, p)));
    expect(missing).toEqual([]);
    // The 10 folds made for it hold 110 matched + 110 mismatched each.
    const folds = balancedFolds(pairs.map((p) => p.same), 10);
    expect(folds.map((f) => f.filter((i) => pairs[i].same).length)).toEqual(Array(10).fill(110));
    expect(folds.map((f) => f.length)).toEqual(Array(10).fill(220));
  });
  it('reads the View 2 layout (folds x (N matched + N mismatched)) with tabs or spaces', () => {
    const text = '2\t1\nA\t1\t2\nB 1 C 3\nD\t2\t4\nE\t1\tF\t1\n';
    const pairs = parsePairs(text, 'v2.txt');
    expect(pairs.map((p) => [p.same, p.fold])).toEqual([
      [true, 0],
      [false, 0],
      [true, 1],
      [false, 1],
    ]);
    expect(pairs[1].b).toBe('C/C_0003.jpg');
    expect(pairFolds(pairs)).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });
  it('names the file and line of each error', () => {
    expect(() => parsePairs('x\n', 'p.txt')).toThrow("p.txt: line 1: pair count 'x' is not a positive integer");
    expect(() => parsePairs('1\nA\t1\nB\t1\tC\t1\n', 'p.txt')).toThrow(/p\.txt: line 2: expected 'Name i j' or 'Name1 i Name2 j', got 2 fields/);
    expect(() => parsePairs('1\nA\t1\tB\t2\nC\t1\t2\n', 'p.txt')).toThrow(/p\.txt: line 2: mismatched pair where the header's layout expects a matched one/);
    expect(() => parsePairs('1\nA\t1\t2\nC\t1\t2\n', 'p.txt')).toThrow(/p\.txt: line 3: matched pair where/);
    expect(() => parsePairs('1\nA\tx\t2\nC\t1\tD\t2\n', 'p.txt')).toThrow(/p\.txt: line 2: image number 'x'/);
    expect(() => parsePairs('2\nA\t1\t2\nB\t1\t2\nC\t1\tD\t2\n', 'p.txt')).toThrow(/p\.txt: line \d+: 3 pairs, the header promises 1 x 2 x 2 = 4/);
    expect(() => parsePairs('1\nA\t1\t2\nC\t1\tD\t2\nE\t1\t2\n', 'p.txt')).toThrow(/p\.txt: line 4: more pairs than the header's 1 x 2 x 1/);
    expect(() => parsePairs('\n\n', 'p.txt')).toThrow('p.txt: empty pairs file');
  });
  it('builds LFW image paths with 4-digit numbers', () => {
    expect(lfwImagePath('Zico', 12)).toBe('Zico/Zico_0012.jpg');
  });
});
