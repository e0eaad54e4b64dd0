/**
 * `evaluate`: what `ffem evaluate` runs. Embeds every subset (and the pair images) through
 * onnxruntime, then computes Recall@K and MAP@R per subset, their spread across subsets, and the
 * LFW-protocol verification metrics on a pairs file.
 */
import * as fs from 'fs';
import { openSession, type Provider } from '@ffem/ort';
import { embedImages, type FaceImage } from './embed';
import { modelInput, type ModelInput } from './model-input';
import { l2Normalize } from './neighbors';
import { pairImages, pairPaths, type Box } from './pair-images';
import { pairFolds, parsePairs } from './pairs';
import type { Metric } from './recall-at-k';
import { retrievalMetrics } from './retrieval';
import { folderSubset, tfrecordSubset, type Subset } from './sources';
import { spreadOf, type Spread } from './spread';
import { verification, type VerificationResult } from './verification';

export interface EvaluateOptions {
  /** ONNX model file. */
  model: string;
  /** Face TFRecord files, one subset each. */
  test?: string[];
  /** A folder with images and `image_list.json` (one subset). */
  data?: string;
  /** An LFW-format pairs file. */
  pairs?: string;
  metric?: Metric;
  /** The K of Recall@K (default [1, 5]). */
  recall?: number[];
  flip?: boolean;
  provider?: Provider;
  batchSize?: number;
  /** Box for pair images no image list describes (default: the whole image). */
  pairsBox?: Box;
  /** Search block sizes (rows of queries / references). */
  searchBlocks?: { queries?: number; refs?: number };
  /** Progress of embedding: called when a stage starts (total) and after each batch (done). */
  onProgress?: (e: { stage: string; done: number; total: number }) => void;
  /** Notes for the user (the provider in use, ...). */
  onInfo?: (msg: string) => void;
}

export interface SubsetReport {
  name: string;
  source: string;
  kind: 'tfrecord' | 'folder';
  images: number;
  identities: number;
  /** Images whose label has no other image: Recall@K counts them as misses, MAP@R leaves them out. */
  singletons: number;
  recall: Record<string, number>;
  mapAtR: number;
  /** Why MAP@R was not computed (too long neighbour lists), else null. */
  mapAtRSkipped: string | null;
  embedSeconds: number;
  imagesPerSecond: number;
  searchSeconds: number;
}

export interface VerificationReport extends VerificationResult {
  pairsFile: string;
  images: number;
  /** 'file': the pairs file's own folds; 'balanced': 10 folds made as `balancedFolds` does. */
  folds: 'file' | 'balanced';
  metric: Metric;
}

export interface Report {
  model: {
    path: string;
    provider: 'cpu' | 'cuda';
    input: ModelInput;
    dim: number;
    metadata: Record<string, string>;
    producer: string;
    opsets: { domain: string; version: number }[];
  };
  options: { metric: Metric; recall: number[]; flip: boolean; batchSize: number };
  subsets: SubsetReport[];
  /** Mean, std, min, max and spread across subsets. */
  summary: { recall: Record<string, Spread>; mapAtR: Spread };
  verification: VerificationReport | null;
  date: string;
}

/** Embeddings in the order they were used (L2-normalised), with their rows' names. */
export interface EvaluateResult {
  report: Report;
  dim: number;
  embeddings: Float32Array;
  items: { path: string; label: number; subset: string }[];
}

/** Runs the whole evaluation. */
export async function evaluate(opts: EvaluateOptions): Promise<EvaluateResult> {
  const metric = opts.metric ?? 'cos';
  const ks = [...new Set(opts.recall ?? [1, 5])].sort((a, b) => a - b);
  for (const k of ks) if (!Number.isInteger(k) || k < 1) throw new Error(`--recall: K must be a positive integer, got ${k}`);
  const batchSize = opts.batchSize ?? 32;
  const flip = opts.flip ?? false;
  if (!opts.test?.length && !opts.data) throw new Error('evaluate: give --test FILE... or --data DIR');
  if (opts.test?.length && opts.data) throw new Error('evaluate: give either --test or --data, not both');
  const pairs = opts.pairs ? parsePairs(readText(opts.pairs), opts.pairs) : null;
  const subsets: Subset[] = [];
  if (opts.data) subsets.push(await folderSubset(opts.data));
  for (const f of opts.test ?? []) subsets.push(await tfrecordSubset(f));
  const names = new Set<string>();
  for (const s of subsets) {
    if (names.has(s.name)) throw new Error(`${s.source}: two subsets named '${s.name}'`);
    names.add(s.name);
  }

  const session = await openSession(opts.model, { provider: opts.provider ?? 'auto' });
  opts.onInfo?.(`onnxruntime provider: ${session.provider}`);
  try {
    const input = modelInput(session, opts.model);
    const rows: Float32Array[] = [];
    const items: EvaluateResult['items'] = [];
    const subsetReports: SubsetReport[] = [];
    const byPath = new Map<string, { chunk: number; row: number }>();
    let dim = 0;
    for (const s of subsets) {
      opts.onProgress?.({ stage: `embed ${s.name}`, done: 0, total: s.count });
      const e = await embedImages(session, input, s.images(), {
        batchSize,
        flip,
        onProgress: (done) => opts.onProgress?.({ stage: `embed ${s.name}`, done, total: s.count }),
      });
      if (e.items.length === 0) throw new Error(`${s.source}: no images`);
      dim = e.dim;
      const x = l2Normalize(e.embeddings, e.dim);
      const labels = Int32Array.from(e.items, (i) => i.label);
      const m = await retrievalMetrics(x, labels, e.dim, ks, {
        ...opts.searchBlocks,
        provider: session.provider,
        onProgress: (done, total) => opts.onProgress?.({ stage: `search ${s.name}`, done, total }),
      });
      subsetReports.push({
        name: s.name,
        source: s.source,
        kind: s.kind,
        images: e.items.length,
        identities: new Set(labels).size,
        singletons: m.singletons,
        recall: Object.fromEntries(ks.map((kk) => [String(kk), m.recall[kk]])),
        mapAtR: m.mapAtR,
        mapAtRSkipped: m.mapAtRSkipped,
        embedSeconds: e.seconds,
        imagesPerSecond: e.items.length / e.seconds,
        searchSeconds: m.searchSeconds,
      });
      e.items.forEach((it, r) => {
        if (s.kind === 'folder') byPath.set(it.path, { chunk: rows.length, row: r });
        items.push({ ...it, subset: s.name });
      });
      rows.push(x);
    }

    let verificationReport: VerificationReport | null = null;
    if (pairs && opts.pairs) {
      const paths = pairPaths(pairs);
      const missing = paths.filter((p) => !byPath.has(p));
      if (missing.length) {
        opts.onProgress?.({ stage: 'embed pairs', done: 0, total: missing.length });
        const e = await embedImages(
          session,
          input,
          pairImages(missing, { pairsFile: opts.pairs, dataDir: opts.data, fallbackBox: opts.pairsBox }),
          { batchSize, flip, onProgress: (done) => opts.onProgress?.({ stage: 'embed pairs', done, total: missing.length }) },
        );
        if (dim && e.dim !== dim) throw new Error(`model: embedding size changed from ${dim} to ${e.dim}`);
        dim = e.dim;
        const x = l2Normalize(e.embeddings, e.dim);
        e.items.forEach((it, r) => {
          byPath.set(it.path, { chunk: rows.length, row: r });
          items.push({ ...it, subset: 'pairs' });
        });
        rows.push(x);
      }
      const vec = (p: string) => {
        const at = byPath.get(p)!;
        return rows[at.chunk].subarray(at.row * dim, (at.row + 1) * dim);
      };
      const scores = new Float64Array(pairs.length);
      pairs.forEach((p, i) => {
        const a = vec(p.a);
        const b = vec(p.b);
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += a[d] * b[d];
        scores[i] = metric === 'cos' ? dot : Math.sqrt(Math.max(0, 2 - 2 * dot));
      });
      const fileFolds = pairFolds(pairs);
      const v = verification(
        scores,
        pairs.map((p) => p.same),
        { folds: fileFolds ?? undefined, higherIsSimilar: metric === 'cos' },
      );
      verificationReport = { pairsFile: opts.pairs, images: paths.length, folds: fileFolds ? 'file' : 'balanced', metric, ...v };
    }

    const embeddings = new Float32Array(items.length * dim);
    let off = 0;
    for (const r of rows) {
      embeddings.set(r, off);
      off += r.length;
    }
    const report: Report = {
      model: {
        path: opts.model,
        provider: session.provider,
        input,
        dim,
        metadata: { ...session.metadata },
        producer: `${session.info.producerName} ${session.info.producerVersion}`.trim(),
        opsets: session.info.opsets,
      },
      options: { metric, recall: ks, flip, batchSize },
      subsets: subsetReports,
      summary: {
        recall: Object.fromEntries(ks.map((k) => [String(k), spreadOf(subsetReports.map((s) => s.recall[String(k)]))])),
        mapAtR: spreadOf(subsetReports.map((s) => s.mapAtR)),
      },
      verification: verificationReport,
      date: new Date().toISOString(),
    };
    return { report, dim, embeddings, items };
  } finally {
    await session.release();
  }
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read (${(err as NodeJS.ErrnoException).code})`);
  }
}

export type { FaceImage };
