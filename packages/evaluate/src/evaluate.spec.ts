import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadFaceCrop } from '@ffem/data';
import { expectClose, sharedData } from '@ffem/testing';
import { encodeFaceRecord, TFRecordWriter } from '@ffem/tfrecord';
import { readEmbeddingsDump, dumpEmbeddings } from './dump-embeddings';
import { flipHwc } from './embed';
import { evaluate } from './evaluate';
import { mapAtR } from './map-at-r';
import { l2Normalize } from './neighbors';
import { parsePairs } from './pairs';
import { recallAtK } from './recall-at-k';
import { tinyEmbed, tinyEmbedder } from './tiny-embedder';
import { verification } from './verification';

const H = 16;
const W = 16;
const D = 8;
const BOX = { x1: 68, y1: 68, x2: 182, y2: 182 };
const tol = { atol: 1e-5, rtol: 1e-4 };

let tmp: string;
let model: string;
let weights: Float32Array;
let dataDir: string;
let pairsFile: string;
let list: { path: string; label: number }[];
const lfw = () => path.dirname(sharedData('lfw-pairs-devtrain', 'pairs.txt'));

/** The embedding the pipeline should produce for one image, recomputed without it. */
async function expected(rel: string, box: typeof BOX, flip = false): Promise<Float32Array> {
  const crop = await loadFaceCrop(fs.readFileSync(path.join(lfw(), rel)), box, H, W);
  const e = tinyEmbed(weights, crop, D);
  if (flip) {
    flipHwc(crop, H, W);
    const m = tinyEmbed(weights, crop, D);
    for (let i = 0; i < D; i++) e[i] += m[i];
  }
  return l2Normalize(e, D);
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-evaluate-'));
  const m = tinyEmbedder(H, W, D, 5);
  weights = m.weights;
  model = path.join(tmp, 'tiny.onnx');
  fs.writeFileSync(model, m.bytes);
  // Six matched and six mismatched pairs of LFW's own file; their images become the data folder.
  const lines = fs.readFileSync(sharedData('lfw-pairs-devtrain', 'pairs.txt'), 'utf8').split('\n');
  const text = ['6', ...lines.slice(1, 7), ...lines.slice(1101, 1107)].join('\n') + '\n';
  fs.mkdirSync(path.join(tmp, 'pairs'));
  pairsFile = path.join(tmp, 'pairs', 'pairs.txt');
  fs.writeFileSync(pairsFile, text);
  const paths = [...new Set(parsePairs(text).flatMap((p) => [p.a, p.b]))].sort();
  const names = [...new Set(paths.map((p) => p.split('/')[0]))].sort();
  dataDir = path.join(tmp, 'data');
  const entries: string[] = [];
  list = [];
  for (const rel of paths) {
    fs.mkdirSync(path.join(dataDir, path.dirname(rel)), { recursive: true });
    fs.copyFileSync(path.join(lfw(), rel), path.join(dataDir, rel));
    const label = names.indexOf(rel.split('/')[0]);
    list.push({ path: rel, label });
    entries.push(`"${rel}": ${JSON.stringify({ label, ...BOX })}`);
  }
  fs.writeFileSync(path.join(dataDir, 'image_list.json'), `{\n${entries.join(',\n')}\n}\n`);
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('evaluate (tiny ONNX model, LFW images)', () => {
  it('embeds a data folder, scores retrieval and verification, and agrees with the array metrics', async () => {
    const stages = new Set<string>();
    const r = await evaluate({ model, data: dataDir, pairs: pairsFile, recall: [1, 2], provider: 'cpu', batchSize: 5, onProgress: (e) => stages.add(e.stage) });
    const { report } = r;
    expect(report.model).toMatchObject({ provider: 'cpu', dim: D, input: { height: H, width: W, layout: 'NHWC', inputName: 'input', outputName: 'embedding' } });
    expect(report.model.metadata.model_name).toBe('tiny-embedder');
    expect(stages).toEqual(new Set(['embed data', 'search data']));
    expect(report.subsets).toHaveLength(1);
    const s = report.subsets[0];
    expect([s.name, s.images, s.identities]).toEqual(['data', list.length, new Set(list.map((l) => l.label)).size]);
    expect(r.items.map((i) => i.path)).toEqual(list.map((l) => l.path));
    // Row 0 is the model on the test-time crop, L2-normalised.
    expectClose(r.embeddings.subarray(0, D), await expected(list[0].path, BOX), tol, 'row 0');
    // ORT search + metrics equal the TypeScript array functions on the same embeddings.
    const labels = Int32Array.from(list, (l) => l.label);
    const ref = recallAtK(r.embeddings, labels, D, [1, 2]);
    expect(s.recall).toEqual({ '1': ref[1], '2': ref[2] });
    expectClose(s.mapAtR, mapAtR(r.embeddings, labels, D), { atol: 1e-12, rtol: 0 });
    expect(s.singletons).toBe(labels.filter((l) => labels.filter((m) => m === l).length === 1).length);
    // Verification: 12 pairs in 6 balanced folds, scores = cosine of the rows.
    const v = report.verification!;
    expect([v.pairs, v.matched, v.mismatched, v.folds, v.accuracy.folds.length]).toEqual([12, 6, 6, 'balanced', 6]);
    const pairs = parsePairs(fs.readFileSync(pairsFile, 'utf8'));
    const row = (p: string) => r.embeddings.subarray(list.findIndex((l) => l.path === p) * D, (list.findIndex((l) => l.path === p) + 1) * D);
    const scores = pairs.map((p) => row(p.a).reduce((acc, x, i) => acc + x * row(p.b)[i], 0));
    const again = verification(scores, pairs.map((p) => p.same));
    expectClose([v.auc, v.eer, v.accuracy.mean], [again.auc, again.eer, again.accuracy.mean], { atol: 1e-9, rtol: 0 });
    // The same with distances: thresholds move to distance units, accuracy and AUC stay.
    const l2 = await evaluate({ model, data: dataDir, pairs: pairsFile, metric: 'l2', provider: 'cpu' });
    expect(l2.report.verification!.accuracy.folds).toEqual(v.accuracy.folds);
    expectClose(l2.report.verification!.auc, v.auc, { atol: 1e-9, rtol: 0 });
    expect(l2.report.verification!.threshold.mean).toBeGreaterThan(0);
  });

  it('--flip adds the mirrored crop’s embedding', async () => {
    const r = await evaluate({ model, data: dataDir, flip: true, provider: 'cpu' });
    expectClose(r.embeddings.subarray(D, 2 * D), await expected(list[1].path, BOX, true), tol, 'row 1 flipped');
  });

  it('reads TFRecord subsets, reports the spread across them, and loads pair images beside the pairs file', async () => {
    // Two subsets: the first 7 and the remaining images, each written as a face TFRecord.
    const files = [path.join(tmp, 'a.tfrecord'), path.join(tmp, 'b.tfrecord')];
    const halves = [list.slice(0, 7), list.slice(7)];
    for (let f = 0; f < 2; f++) {
      const w = await TFRecordWriter.open(files[f]);
      for (const l of halves[f]) await w.write(encodeFaceRecord({ jpeg: fs.readFileSync(path.join(dataDir, l.path)), label: l.label, ...BOX }));
      await w.close();
    }
    // A pairs file beside copies of its images, with no image list there: whole-image crops.
    const beside = path.join(tmp, 'beside');
    for (const l of list) {
      fs.mkdirSync(path.join(beside, path.dirname(l.path)), { recursive: true });
      fs.copyFileSync(path.join(dataDir, l.path), path.join(beside, l.path));
    }
    fs.copyFileSync(pairsFile, path.join(beside, 'pairs.txt'));
    const r = await evaluate({ model, test: files, pairs: path.join(beside, 'pairs.txt'), recall: [1], provider: 'cpu' });
    const { report } = r;
    expect(report.subsets.map((s) => [s.name, s.kind, s.images])).toEqual([
      ['a', 'tfrecord', 7],
      ['b', 'tfrecord', list.length - 7],
    ]);
    const per = report.subsets.map((s) => s.recall['1']);
    const subsetRecall = halves.map((h, i) => {
      const rows = r.embeddings.subarray(i === 0 ? 0 : 7 * D, (i === 0 ? 7 : list.length) * D);
      return recallAtK(rows, Int32Array.from(h, (l) => l.label), D, [1])[1];
    });
    expect(per).toEqual(subsetRecall);
    expectClose(
      [report.summary.recall['1'].mean, report.summary.recall['1'].spread],
      [(per[0] + per[1]) / 2, Math.abs(per[0] - per[1])],
      { atol: 1e-12, rtol: 0 },
    );
    expect(r.items[0].path).toBe('a#0');
    // The pair images were embedded from beside the pairs file (TFRecord rows have no paths).
    const v = report.verification!;
    expect([v.pairs, v.folds, v.images]).toEqual([12, 'balanced', list.length]);
    const first = r.items.findIndex((i) => i.subset === 'pairs');
    expect(r.items.length - first).toBe(v.images);
    const rel = r.items[first].path;
    expectClose(r.embeddings.subarray(first * D, (first + 1) * D), await expected(rel, { x1: 0, y1: 0, x2: 250, y2: 250 }), tol, 'pair image');
  });

  it('dumps embeddings that read back exactly', async () => {
    const r = await evaluate({ model, data: dataDir, provider: 'cpu' });
    const out = path.join(tmp, 'dump');
    dumpEmbeddings(out, r.embeddings, r.dim, r.items);
    const back = readEmbeddingsDump(out);
    expect(back.dim).toBe(D);
    expect(back.items).toEqual(r.items);
    expect(Array.from(back.embeddings)).toEqual(Array.from(r.embeddings));
    expect(fs.statSync(path.join(out, 'embeddings.f32')).size).toBe(r.items.length * D * 4);
  });

  it('fails naming the image list and the missing image', async () => {
    const broken = path.join(tmp, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'image_list.json'), '{"nope/x.jpg": {"label": 0, "x1": 0, "y1": 0, "x2": 5, "y2": 5}}\n');
    await expect(evaluate({ model, data: broken, provider: 'cpu' })).rejects.toThrow(/broken\/image_list\.json: nope\/x\.jpg: cannot read .* \(ENOENT\)/);
    await expect(evaluate({ model, provider: 'cpu' })).rejects.toThrow(/give --test FILE\.\.\. or --data DIR/);
  });
});
