/**
 * The ROC curve as a standalone SVG: TPR against FAR on a log axis (10^-k .. 1, as face
 * verification papers draw it).
 */
import type { Roc } from './verification';

export interface RocSvgOptions {
  title?: string;
  /** A second line under the title (e.g. 'AUC 0.99, EER 0.01'). */
  subtitle?: string;
  width?: number;
  height?: number;
}

function esc(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** Renders the curve; FARs below the smallest nonzero one on the ROC are clamped to the axis. */
export function rocSvg(roc: Roc, opts: RocSvgOptions = {}): string {
  const W = opts.width ?? 640;
  const H = opts.height ?? 480;
  const m = { l: 60, r: 20, t: 40, b: 50 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const minNonZero = roc.fpr.reduce((a, f) => (f > 0 && f < a ? f : a), 1);
  const decades = Math.max(1, Math.ceil(-Math.log10(minNonZero)));
  const x = (f: number) => m.l + pw * (1 + Math.log10(Math.max(f, 10 ** -decades)) / decades);
  const y = (t: number) => m.t + ph * (1 - t);
  const pts: string[] = [];
  for (let i = 0; i < roc.fpr.length; i++) pts.push(`${x(roc.fpr[i]).toFixed(2)},${y(roc.tpr[i]).toFixed(2)}`);
  const grid: string[] = [];
  for (let d = 0; d <= decades; d++) {
    const gx = x(10 ** -d);
    grid.push(`<line x1="${gx}" y1="${m.t}" x2="${gx}" y2="${m.t + ph}" stroke="#ddd"/>`);
    grid.push(`<text x="${gx}" y="${m.t + ph + 18}" text-anchor="middle" font-size="12">${d === 0 ? '1' : `1e-${d}`}</text>`);
  }
  for (let t = 0; t <= 10; t += 2) {
    const gy = y(t / 10);
    grid.push(`<line x1="${m.l}" y1="${gy}" x2="${m.l + pw}" y2="${gy}" stroke="#ddd"/>`);
    grid.push(`<text x="${m.l - 8}" y="${gy + 4}" text-anchor="end" font-size="12">${(t / 10).toFixed(1)}</text>`);
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    ...grid,
    `<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
    `<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="${pts.join(' ')}"/>`,
    `<text x="${W / 2}" y="${m.t - 14}" text-anchor="middle" font-size="15">${esc(opts.title ?? 'ROC')}</text>`,
    opts.subtitle ? `<text x="${m.l + pw - 8}" y="${m.t + ph - 12}" text-anchor="end" font-size="13">${esc(opts.subtitle)}</text>` : '',
    `<text x="${m.l + pw / 2}" y="${H - 12}" text-anchor="middle" font-size="13">false accept rate (log)</text>`,
    `<text x="16" y="${m.t + ph / 2}" text-anchor="middle" font-size="13" transform="rotate(-90 16 ${m.t + ph / 2})">true accept rate</text>`,
    '</svg>',
    '',
  ].join('\n');
}
