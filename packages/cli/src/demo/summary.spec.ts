import type { Report } from '@ffem/evaluate';
import { formatSeconds, formatSummary, metricRows, scoresOf, summaryMarkdown, type DemoSummary } from './summary';

function report(r1: number, withPairs: boolean): Report {
  return {
    subsets: [{ name: 'test', recall: { '1': r1, '5': r1 + 0.1 }, mapAtR: r1 / 2 }],
    verification: withPairs
      ? { pairs: 600, accuracy: { mean: r1, std: 0.01, folds: [] }, auc: 0.9, eer: 0.12, tarAtFar: { '1e-1': 0.7, '1e-2': 0.3 } }
      : null,
  } as unknown as Report;
}

function summary(withPairs: boolean): DemoSummary {
  return {
    data: { kind: 'synthetic', source: '/x', description: 'synthetic faces' },
    split: { train: { identities: 42, images: 336 }, val: { identities: 6, images: 48 }, test: { identities: 12, images: 96 } },
    model: { description: 'tiny', epochs: 3, stoppedBy: 'budget', selection: { recall1: 0.5, epoch: 2 } },
    trained: scoresOf(report(0.8125, withPairs)),
    untrained: scoresOf(report(0.25, withPairs)),
    stages: [{ name: 'train', seconds: 125.4 }, { name: 'split', seconds: 0.04 }],
    files: [['ONNX models', 'demo-output/trained.onnx']],
    machine: '2 x CPU',
  };
}

describe('demo summary', () => {
  it('lists trained beside untrained, with verification rows only when there were pairs', () => {
    const rows = metricRows(summary(true));
    expect(rows[0]).toEqual(['Recall@1', '0.8125', '0.2500']);
    expect(rows[1]).toEqual(['Recall@5', '0.9125', '0.3500']);
    expect(rows[2]).toEqual(['MAP@R', '0.4063', '0.1250']);
    expect(rows.map((r) => r[0])).toEqual([
      'Recall@1', 'Recall@5', 'MAP@R', 'verification accuracy (10-fold, 600 pairs)', 'ROC AUC', 'EER', 'TAR @ FAR=1e-1', 'TAR @ FAR=1e-2',
    ]);
    expect(metricRows(summary(false)).map((r) => r[0])).toEqual(['Recall@1', 'Recall@5', 'MAP@R']);
  });

  it('prints stage times with their total, the files, and how training stopped', () => {
    const text = formatSummary(summary(true));
    expect(text).toMatch(/train\s+2 min 5 s/);
    expect(text).toMatch(/total\s+2 min 5 s/);
    expect(text).toContain('demo-output/trained.onnx');
    expect(text).toContain('trained 3 epochs (stopped by the time budget); kept epoch 2 (best validation Recall@1 0.5000)');
    expect(text).toContain('val 6 identities / 48 images (model selection)');
    const md = summaryMarkdown(summary(true));
    expect(md).toContain('| Recall@1 | 0.8125 | 0.2500 |');
  });

  it('formats seconds', () => {
    expect(formatSeconds(0.04)).toBe('0.0 s');
    expect(formatSeconds(59.94)).toBe('59.9 s');
    expect(formatSeconds(600)).toBe('10 min 0 s');
  });
});
