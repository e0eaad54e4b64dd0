/**
 * The main job, stage by stage: data (synthetic or a real folder) -> identity-disjoint split
 * (+ an LFW-format pairs file for the test identities) -> `ffem generate-tfrecord` per part ->
 * `ffem train` -> `ffem export --verify` -> `ffem evaluate`, then the same export + evaluate for
 * the untrained model (same config, same seed), and the closing table.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeImageList } from '@ffem/data';
import type { Report } from '@ffem/evaluate';
import { parseConfig, readMetrics } from '@ffem/training';
import type { DemoOptions } from './options';
import { makePairs } from './pairs';
import { listEntries, readImageListFile, splitByIdentity, type ImageList, type SplitPart } from './split';
import { DemoStageError, Stages, type Cli } from './stages';
import { scoresOf, summaryMarkdown, type DemoSummary } from './summary';
import { demoTrainConfig } from './train-config';
import { trainWithBudget } from './train-stage';
import { saveUntrainedModel } from './untrained';

/** Marks a folder as the demo's own, so a later demo may replace it. */
const MARKER = '.ffem-demo';

/** Empties `out` when it holds an earlier demo's output; refuses a non-empty folder of anything else. */
export function prepareOutDir(out: string): void {
  if (fs.existsSync(out)) {
    const entries = fs.readdirSync(out);
    if (entries.length && !entries.includes(MARKER)) {
      throw new DemoStageError('prepare', `${out}: the folder is not empty and not an earlier demo's output; choose another --out`);
    }
    fs.rmSync(out, { recursive: true, force: true });
  }
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, MARKER), 'written by `npm run demo`; the next demo run with this --out replaces this folder\n');
}

/**
 * A folder the evaluator and the exporter can read test images from: the test part's
 * `image_list.json`, its pairs file, and links to the images' folders under the data root.
 */
async function testImagesDir(dir: string, root: string, list: ImageList, pairsText: string | null): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await writeImageList(path.join(dir, 'image_list.json'), listEntries(list));
  if (pairsText !== null) fs.writeFileSync(path.join(dir, 'pairs.txt'), pairsText);
  // Top-level entries the list's paths start with (a folder per identity in both layouts).
  const folders = new Set(Object.keys(list).map((k) => k.split('/')[0]));
  for (const f of folders) {
    const target = path.resolve(root, f);
    try {
      fs.symlinkSync(target, path.join(dir, f), 'dir');
    } catch {
      fs.cpSync(target, path.join(dir, f), { recursive: true });
    }
  }
}

function countImages(list: ImageList) {
  return Object.keys(list).length;
}

export interface DemoRun {
  summary: DemoSummary;
  /** Where summary.json / summary.md were written. */
  summaryFile: string;
}

/** Runs every stage; throws DemoStageError naming the stage that failed. */
export async function runDemo(o: DemoOptions, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`), cli?: Cli): Promise<DemoRun> {
  const out = path.resolve(o.out);
  const stages = new Stages(log, cli);
  // Paths as the user would type them: relative below the working folder, else absolute.
  const rel = (p: string) => {
    const r = path.relative(process.cwd(), p);
    return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : p;
  };
  await stages.run('prepare', () => prepareOutDir(out));

  // ---- data ------------------------------------------------------------------------------------
  let root: string;
  let dataDescription: string;
  if (o.data) {
    root = path.resolve(o.data);
    if (!fs.existsSync(path.join(root, 'image_list.json'))) throw new DemoStageError('data', `${o.data}: no image_list.json in the data folder`);
    dataDescription = `${o.data}`;
  } else {
    root = path.join(out, 'synth');
    await stages.ffem('synth', [
      'synth', '--out', root, '--identities', String(o.identities), '--images-per-identity', String(o.imagesPerIdentity),
      '--size', String(o.size), '--seed', String(o.seed),
    ]);
    dataDescription = `synthetic faces (ffem synth: ${o.identities} identities x ${o.imagesPerIdentity} images, ${o.size} px, seed ${o.seed})`;
  }

  // ---- split -----------------------------------------------------------------------------------
  const lists = path.join(out, 'lists');
  const testDir = path.join(out, 'test-images');
  const split = await stages.run('split', async () => {
    const all = readImageListFile(path.join(root, 'image_list.json'));
    const first = splitByIdentity(all, {
      testFraction: o.testFraction,
      minImages: o.minImages,
      maxIdentities: o.maxIdentities,
      maxImagesPerIdentity: o.maxImagesPerIdentity,
      seed: o.seed,
    });
    let train: SplitPart = first.train;
    let val: SplitPart | null = null;
    if (o.valFraction > 0) {
      const s = splitByIdentity(first.train.list, { testFraction: o.valFraction / (1 - o.testFraction), minImages: o.minImages, seed: o.seed + 1 });
      train = s.train;
      val = s.test;
    }
    fs.mkdirSync(lists, { recursive: true });
    await writeImageList(path.join(lists, 'train.json'), listEntries(train.list));
    if (val) await writeImageList(path.join(lists, 'val.json'), listEntries(val.list));
    await writeImageList(path.join(lists, 'test.json'), listEntries(first.test.list));
    const pairs = makePairs(first.test.list, { seed: o.seed });
    await testImagesDir(testDir, root, first.test.list, pairs?.text ?? null);
    const n = (p: SplitPart | null) => ({ identities: p?.identities ?? 0, images: p ? countImages(p.list) : 0 });
    log(`train ${n(train).identities} identities / ${n(train).images} images; val ${n(val).identities} / ${n(val).images}; test ${first.test.identities} / ${countImages(first.test.list)}` +
      (first.droppedIdentities ? ` (${first.droppedIdentities} identities left out)` : ''));
    log(pairs ? `pairs: ${pairs.folds} folds x (${pairs.perFold} matched + ${pairs.perFold} mismatched)` : 'pairs: none (the test images are not named as LFW names them, or too few)');
    return { train: n(train), val: n(val), test: n(first.test), hasVal: !!val, hasPairs: !!pairs };
  });

  // ---- TFRecords ---------------------------------------------------------------------------------
  const records = path.join(out, 'tfrecords');
  fs.mkdirSync(records, { recursive: true });
  const parts = ['train', ...(split.hasVal ? ['val'] : []), 'test'];
  for (const p of parts) {
    await stages.ffem(`generate-tfrecord (${p})`, [
      'generate-tfrecord', '--root_path', root, '--json_file', path.join(lists, `${p}.json`), '--output', path.join(records, `${p}.tfrecord`),
    ]);
  }
  const testRecord = path.join(records, 'test.tfrecord');

  // ---- train -----------------------------------------------------------------------------------
  const configFile = path.join(out, 'train-config.json');
  const configJson = demoTrainConfig(o, {
    trainFile: path.join(records, 'train.tfrecord'),
    valFiles: split.hasVal ? [path.join(records, 'val.tfrecord')] : [],
    numIdentity: split.train.identities,
    outputDir: path.join(out, 'runs'),
    modelName: 'demo',
  });
  const config = parseConfig(configJson, configFile);
  fs.writeFileSync(configFile, `${JSON.stringify(configJson, null, 2)}\n`);
  const runDir = path.join(out, 'runs', 'demo');
  const trained = await trainWithBudget(stages, configFile, runDir, o.minutes);

  // ---- export + evaluate, trained then untrained ---------------------------------------------------
  const reports: Record<'trained' | 'untrained', Report> = {} as never;
  const evalDir = path.join(out, 'eval');
  fs.mkdirSync(evalDir, { recursive: true });
  const untrainedDir = path.join(out, 'untrained');
  for (const which of ['trained', 'untrained'] as const) {
    let modelDir = trained.modelDir;
    if (which === 'untrained') modelDir = await stages.run('untrained model', () => saveUntrainedModel(config, untrainedDir));
    const onnx = path.join(out, `${which}.onnx`);
    await stages.ffem(`export (${which})`, ['export', '--model', modelDir, '--output', onnx, '--verify', '--verify-images', testDir]);
    const json = path.join(evalDir, `${which}.json`);
    await stages.ffem(`evaluate (${which})`, [
      'evaluate', '--model', onnx, '--test', testRecord, '--recall', '1,5', '--json', json,
      ...(split.hasPairs ? ['--pairs', path.join(testDir, 'pairs.txt')] : []),
    ]);
    reports[which] = JSON.parse(fs.readFileSync(json, 'utf8')) as Report;
  }

  // ---- summary -----------------------------------------------------------------------------------
  const cpu = os.cpus();
  // The validation Recall@1 per epoch, as ffem train logged it: the saved model is the best one.
  let selection: DemoSummary['model']['selection'] = null;
  for (const m of readMetrics(path.join(runDir, 'metrics.jsonl'))) {
    const r1 = (m.recall_mean as Record<string, number> | undefined)?.['1'];
    if (m.type === 'eval' && typeof r1 === 'number' && (selection === null || r1 > selection.recall1)) {
      selection = { recall1: r1, epoch: (m.epoch as number) + 1 };
    }
  }
  const summary: DemoSummary = {
    data: { kind: o.data ? 'folder' : 'synthetic', source: root, description: dataDescription },
    split: { train: split.train, val: split.val, test: split.test },
    model: {
      description: `${o.backbone}${o.backbone === 'tiny' ? ` [${o.widths.join(', ')}]` : ''} at ${o.inputSize} px, embedding ${o.embeddingDim}, ${o.loss}, ${o.optimizer} lr ${o.lr}, batch ${o.batchSize}`,
      epochs: trained.epochs,
      stoppedBy: trained.stoppedBy,
      selection,
    },
    trained: scoresOf(reports.trained),
    untrained: scoresOf(reports.untrained),
    stages: stages.timings,
    files: [
      ['data', rel(root)],
      ['split lists', rel(lists)],
      ['TFRecords', rel(records)],
      ['training config', rel(configFile)],
      ['training run (checkpoints, metrics.jsonl, tensorboard/)', rel(runDir)],
      ['inference model (tfjs)', rel(trained.modelDir)],
      ['ONNX models', `${rel(path.join(out, 'trained.onnx'))}, ${rel(path.join(out, 'untrained.onnx'))}`],
      ['evaluation reports (.json, .md, .roc.svg)', rel(evalDir)],
      ['this summary', rel(path.join(out, 'summary.md'))],
    ],
    machine: `${cpu.length} x ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load ${os.loadavg()[0].toFixed(1)}`,
  };
  const summaryFile = path.join(out, 'summary.json');
  fs.writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
  fs.writeFileSync(path.join(out, 'summary.md'), summaryMarkdown(summary));
  return { summary, summaryFile };
}
