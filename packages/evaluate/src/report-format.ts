/** The report as a console table and as markdown tables. */
import type { Report } from './evaluate';

function f4(x: number): string {
  return Number.isNaN(x) ? 'n/a' : x.toFixed(4);
}

interface Table {
  head: string[];
  rows: string[][];
}

function retrievalTable(r: Report): Table {
  const ks = r.options.recall;
  const head = ['subset', 'images', 'ids', ...ks.map((k) => `R@${k}`), 'MAP@R'];
  const rows = r.subsets.map((s) => [s.name, String(s.images), String(s.identities), ...ks.map((k) => f4(s.recall[String(k)])), f4(s.mapAtR)]);
  if (r.subsets.length > 1) {
    for (const [label, key] of [
      ['mean', 'mean'],
      ['std', 'std'],
      ['max - min', 'spread'],
    ] as const) {
      rows.push([label, '', '', ...ks.map((k) => f4(r.summary.recall[String(k)][key])), f4(r.summary.mapAtR[key])]);
    }
  }
  return { head, rows };
}

function verificationTable(r: Report): Table | null {
  const v = r.verification;
  if (!v) return null;
  const fars = Object.keys(v.tarAtFar);
  return {
    head: ['pairs', 'accuracy', 'threshold', 'AUC', 'EER', ...fars.map((f) => `TAR@FAR=${f}`)],
    rows: [
      [
        String(v.pairs),
        `${f4(v.accuracy.mean)} ± ${f4(v.accuracy.std)}`,
        f4(v.threshold.mean),
        f4(v.auc),
        f4(v.eer),
        ...fars.map((f) => f4(v.tarAtFar[f])),
      ],
    ],
  };
}

function plain(t: Table): string {
  const w = t.head.map((h, i) => Math.max(h.length, ...t.rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(t.head), w.map((n) => '-'.repeat(n)).join('  '), ...t.rows.map(line)].join('\n');
}

function markdown(t: Table): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(t.head), line(t.head.map((_, i) => (i === 0 ? '---' : '---:'))), ...t.rows.map(line)].join('\n');
}

function header(r: Report): string {
  const m = r.model;
  return `model ${m.path} (${m.input.height}x${m.input.width} ${m.input.layout} -> ${m.dim}), provider ${m.provider}, metric ${r.options.metric}${r.options.flip ? ', flip' : ''}`;
}

function verificationTitle(r: Report): string {
  const v = r.verification!;
  return `verification on ${v.pairsFile}: ${v.matched} matched + ${v.mismatched} mismatched pairs, ${v.accuracy.folds.length}-fold (${v.folds === 'file' ? "the file's folds" : 'balanced folds'}), metric ${v.metric}`;
}

/** Plain-text tables for the terminal. */
export function formatConsole(r: Report): string {
  const parts = [header(r), '', plain(retrievalTable(r))];
  const v = verificationTable(r);
  if (v) parts.push('', verificationTitle(r), plain(v));
  return parts.join('\n') + '\n';
}

/** Markdown tables (retrieval, then verification). */
export function formatMarkdown(r: Report): string {
  const parts = [`# Evaluation`, '', header(r), '', '## Retrieval', '', markdown(retrievalTable(r))];
  const v = verificationTable(r);
  if (v) parts.push('', '## Verification', '', verificationTitle(r), '', markdown(v));
  return parts.join('\n') + '\n';
}
