/**
 * The demo's closing table: the trained model beside the untrained one (Recall@K, MAP@R and, with
 * a pairs file, the LFW protocol's verification figures), how long each stage took, and where the
 * files are. As console text and as markdown (the README's results table is pasted from it).
 */
import type { Report } from '@ffem/evaluate';
import type { StageTiming } from './stages';

export interface ModelScores {
  recall: Record<string, number>;
  mapAtR: number;
  verification: { accuracy: number; accuracyStd: number; auc: number; eer: number; tarAtFar: Record<string, number>; pairs: number } | null;
}

export interface DemoSummary {
  data: { kind: 'synthetic' | 'folder'; source: string; description: string };
  split: Record<'train' | 'val' | 'test', { identities: number; images: number }>;
  model: {
    description: string;
    epochs: number;
    stoppedBy: 'run' | 'budget';
    /** Best validation Recall@1 and its epoch (1-based): the weights the saved model has; null without validation. */
    selection: { recall1: number; epoch: number } | null;
  };
  trained: ModelScores;
  untrained: ModelScores;
  stages: StageTiming[];
  files: [string, string][];
  machine: string;
}

/** The figures of one `ffem evaluate --json` report (first test subset; verification if present). */
export function scoresOf(report: Report): ModelScores {
  const s = report.subsets[0];
  if (!s) throw new Error('evaluate report: no subsets');
  const v = report.verification;
  return {
    recall: s.recall,
    mapAtR: s.mapAtR,
    verification: v
      ? { accuracy: v.accuracy.mean, accuracyStd: v.accuracy.std, auc: v.auc, eer: v.eer, tarAtFar: v.tarAtFar, pairs: v.pairs }
      : null,
  };
}

const f4 = (x: number) => x.toFixed(4);

/** Rows [metric, trained, untrained] in display order. */
export function metricRows(s: DemoSummary): [string, string, string][] {
  const rows: [string, string, string][] = [];
  for (const k of Object.keys(s.trained.recall)) rows.push([`Recall@${k}`, f4(s.trained.recall[k]), f4(s.untrained.recall[k] ?? NaN)]);
  rows.push(['MAP@R', f4(s.trained.mapAtR), f4(s.untrained.mapAtR)]);
  const t = s.trained.verification;
  const u = s.untrained.verification;
  if (t && u) {
    rows.push([`verification accuracy (10-fold, ${t.pairs} pairs)`, `${f4(t.accuracy)} ± ${f4(t.accuracyStd)}`, `${f4(u.accuracy)} ± ${f4(u.accuracyStd)}`]);
    rows.push(['ROC AUC', f4(t.auc), f4(u.auc)]);
    rows.push(['EER', f4(t.eer), f4(u.eer)]);
    for (const far of Object.keys(t.tarAtFar)) rows.push([`TAR @ FAR=${far}`, f4(t.tarAtFar[far]), f4(u.tarAtFar[far] ?? NaN)]);
  }
  return rows;
}

export function formatSeconds(sec: number): string {
  if (sec < 60) return `${sec.toFixed(1)} s`;
  const m = Math.floor(sec / 60);
  return `${m} min ${Math.round(sec - m * 60)} s`;
}

/** A plain-text table: first column left-aligned, the others right-aligned unless `left`. */
function table(header: string[], rows: string[][], left = false): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function splitLine(s: DemoSummary): string {
  const p = (n: 'train' | 'val' | 'test') => `${n} ${s.split[n].identities} identities / ${s.split[n].images} images`;
  return `split by identity: ${p('train')}; ${s.split.val.identities ? `${p('val')} (model selection); ` : ''}${p('test')}`;
}

/** The closing table as console text. */
export function formatSummary(s: DemoSummary): string {
  const total = s.stages.reduce((a, t) => a + t.seconds, 0);
  const stopped = s.model.stoppedBy === 'budget' ? ' (stopped by the time budget)' : '';
  const selected = s.model.selection ? `; kept epoch ${s.model.selection.epoch} (best validation Recall@1 ${f4(s.model.selection.recall1)})` : '';
  return [
    '',
    '=== FFEM-TS demo: results ===',
    `data: ${s.data.description}`,
    splitLine(s),
    `model: ${s.model.description}; trained ${s.model.epochs} epoch${s.model.epochs === 1 ? '' : 's'}${stopped}${selected}`,
    `machine: ${s.machine}`,
    '',
    table(['metric (test identities)', 'trained', 'untrained'], metricRows(s)),
    '',
    table(['stage', 'time'], [...s.stages.map((t) => [t.name, formatSeconds(t.seconds)]), ['total', formatSeconds(total)]]),
    '',
    table(['file', 'where'], s.files.map(([a, b]) => [a, b]), true),
    '',
  ].join('\n');
}

/** The same as a markdown section. */
export function summaryMarkdown(s: DemoSummary): string {
  const total = s.stages.reduce((a, t) => a + t.seconds, 0);
  const md = (header: string[], rows: string[][]) =>
    [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  return [
    '## FFEM-TS demo results',
    '',
    `- data: ${s.data.description}`,
    `- ${splitLine(s)}`,
    `- model: ${s.model.description}; trained ${s.model.epochs} epochs${s.model.stoppedBy === 'budget' ? ' (time budget)' : ''}` +
      (s.model.selection ? `; kept epoch ${s.model.selection.epoch} (best validation Recall@1 ${f4(s.model.selection.recall1)})` : ''),
    `- machine: ${s.machine}`,
    '',
    md(['metric (test identities)', 'trained', 'untrained'], metricRows(s)),
    '',
    md(['stage', 'time'], [...s.stages.map((t) => [t.name, formatSeconds(t.seconds)]), ['total', formatSeconds(total)]]),
    '',
  ].join('\n');
}
