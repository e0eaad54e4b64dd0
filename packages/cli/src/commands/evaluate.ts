import * as path from 'path';
import { Option, type Command } from 'commander';
import { dumpEmbeddings, evaluate, formatConsole, formatMarkdown, rocSvg, writeFileAtomic, type Metric } from '@ffem/evaluate';
import { progressBar, type Progress } from '../progress';
import { intListOption, intOption } from '../options';

interface EvaluateFlags {
  model: string;
  test?: string[];
  data?: string;
  pairs?: string;
  metric: Metric;
  recall: number[];
  flip?: boolean;
  json?: string;
  markdown?: string;
  roc?: string;
  dumpEmbeddings?: string;
  provider: 'auto' | 'cuda' | 'cpu';
  batchSize: number;
  pairsBox?: number[];
}

export function register(program: Command): void {
  program
    .command('evaluate')
    .description('Recall@K, MAP@R and LFW-protocol verification of an ONNX model, per subset and across subsets')
    .requiredOption('--model <file>', 'ONNX model (input NHWC [N, H, W, 3] RGB in [0, 1], output [N, D])')
    .option('--test <files...>', 'face TFRecord files, one subset each')
    .option('--data <dir>', "folder with images and image_list.json (the original's format)")
    .option('--pairs <file>', "pairs file in LFW's format; images under --data or next to it")
    .addOption(new Option('--metric <m>', 'similarity for verification').choices(['cos', 'l2']).default('cos'))
    .option('--recall <ks>', 'K values of Recall@K, comma separated', intListOption('--recall'), [1, 5])
    .option('--flip', 'add the embedding of the mirrored image')
    .option('--json <file>', 'write the full report as JSON (and <name>.md, <name>.roc.svg beside it)')
    .option('--markdown <file>', 'write the markdown tables here')
    .option('--roc <file>', 'write the ROC curve (SVG) here (needs --pairs)')
    .option('--dump-embeddings <dir>', 'write embeddings.f32 (N x D float32 LE, L2-normalised) and index.json')
    .addOption(new Option('--provider <p>', 'onnxruntime execution provider').choices(['auto', 'cuda', 'cpu']).default('auto'))
    .option('--batch-size <n>', 'images per model run', intOption('--batch-size'), 32)
    .option('--pairs-box <x1,y1,x2,y2>', 'face box for pair images no image_list.json describes (default: whole image)', intListOption('--pairs-box'))
    .action(async (o: EvaluateFlags) => {
      if (!o.test && !o.data) throw new Error('evaluate: give --test FILE... or --data DIR');
      if (o.pairsBox && o.pairsBox.length !== 4) throw new Error(`--pairs-box: expected x1,y1,x2,y2, got ${o.pairsBox.length} numbers`);
      let bar: Progress | null = null;
      let stage = '';
      const result = await evaluate({
        model: o.model,
        test: o.test,
        data: o.data,
        pairs: o.pairs,
        metric: o.metric,
        recall: o.recall,
        flip: !!o.flip,
        provider: o.provider,
        batchSize: o.batchSize,
        pairsBox: o.pairsBox ? { x1: o.pairsBox[0], y1: o.pairsBox[1], x2: o.pairsBox[2], y2: o.pairsBox[3] } : undefined,
        onInfo: (msg) => process.stderr.write(`${msg}\n`),
        onProgress: (e) => {
          if (e.stage !== stage) {
            bar?.stop();
            stage = e.stage;
            bar = progressBar(e.stage, e.total);
          }
          bar!.update(e.done);
        },
      }).finally(() => (bar as Progress | null)?.stop());
      const { report } = result;
      process.stdout.write(formatConsole(report));
      const base = o.json ? o.json.replace(/\.json$/i, '') : null;
      const written: string[] = [];
      if (o.json) {
        writeFileAtomic(o.json, JSON.stringify(report, null, 2) + '\n');
        written.push(o.json);
      }
      const md = o.markdown ?? (base ? `${base}.md` : null);
      if (md) {
        writeFileAtomic(md, formatMarkdown(report));
        written.push(md);
      }
      const roc = o.roc ?? (base && report.verification ? `${base}.roc.svg` : null);
      if (roc) {
        if (!report.verification) throw new Error('--roc: no ROC without --pairs');
        const v = report.verification;
        const subtitle = `AUC ${v.auc.toFixed(4)}, EER ${v.eer.toFixed(4)}, accuracy ${v.accuracy.mean.toFixed(4)}`;
        writeFileAtomic(roc, rocSvg(v.roc, { title: `ROC: ${path.basename(o.model)} on ${path.basename(v.pairsFile)}`, subtitle }));
        written.push(roc);
      }
      if (o.dumpEmbeddings) {
        const d = dumpEmbeddings(o.dumpEmbeddings, result.embeddings, result.dim, result.items);
        written.push(d.embeddingsFile, d.indexFile);
      }
      if (written.length) process.stderr.write(`wrote ${written.join(', ')}\n`);
    });
}
