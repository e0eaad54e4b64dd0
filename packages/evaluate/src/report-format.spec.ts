import type { Report } from './evaluate';
import { formatConsole, formatMarkdown } from './report-format';
import { spreadOf } from './spread';
import { verification } from './verification';

function report(withPairs: boolean): Report {
  const subset = (name: string, r1: number, r5: number, mapr: number) => ({
    name,
    source: `${name}.tfrecord`,
    kind: 'tfrecord' as const,
    images: 100,
    identities: 10,
    singletons: 0,
    recall: { '1': r1, '5': r5 },
    mapAtR: mapr,
    mapAtRSkipped: null,
    embedSeconds: 1,
    imagesPerSecond: 100,
    searchSeconds: 0.1,
  });
  const subsets = [subset('African', 0.9, 0.95, 0.5), subset('Asian', 0.8, 0.9, 0.4)];
  const v = verification([0.9, 0.8, 0.7, 0.2, 0.3, 0.6, 0.1, 0.5], [true, true, true, true, false, false, false, false], { nFolds: 2 });
  return {
    model: { path: 'm.onnx', provider: 'cpu', input: { inputName: 'input', outputName: 'embedding', height: 112, width: 112, layout: 'NHWC' }, dim: 512, metadata: {}, producer: '', opsets: [] },
    options: { metric: 'cos', recall: [1, 5], flip: false, batchSize: 32 },
    subsets,
    summary: {
      recall: { '1': spreadOf([0.9, 0.8]), '5': spreadOf([0.95, 0.9]) },
      mapAtR: spreadOf([0.5, 0.4]),
    },
    verification: withPairs ? { ...v, pairsFile: 'pairs.txt', images: 16, folds: 'balanced', metric: 'cos' } : null,
    date: '2026-11-28T00:00:00.000Z',
  };
}

describe('report formats', () => {
  it('console: one row per subset, then mean, std and max - min', () => {
    const text = formatConsole(report(false));
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('model m.onnx (112x112 NHWC -> 512), provider cpu, metric cos');
    expect(lines[2].split(/\s+/)).toEqual(['subset', 'images', 'ids', 'R@1', 'R@5', 'MAP@R']);
    expect(lines[4].split(/\s+/)).toEqual(['African', '100', '10', '0.9000', '0.9500', '0.5000']);
    expect(lines[6].split(/\s+/)).toEqual(['mean', '0.8500', '0.9250', '0.4500']);
    expect(lines[8].split(/\s+/)).toEqual(['max', '-', 'min', '0.1000', '0.0500', '0.1000']);
    expect(text).not.toContain('verification');
  });
  it('markdown: retrieval and verification tables', () => {
    const md = formatMarkdown(report(true));
    expect(md).toContain('| subset | images | ids | R@1 | R@5 | MAP@R |');
    expect(md).toContain('| Asian | 100 | 10 | 0.8000 | 0.9000 | 0.4000 |');
    expect(md).toContain('| pairs | accuracy | threshold | AUC | EER |');
    expect(md).toContain('| 8 | 0.7500 ± 0.2500 | 0.6500 |');
  });
});
