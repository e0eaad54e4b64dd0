import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MetricsLog, readMetrics } from './metrics-log';

describe('MetricsLog', () => {
  it('on resume drops the lines past the checkpoint and a torn last line', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-metrics-')), 'metrics.jsonl');
    const log = new MetricsLog(file);
    for (let step = 1; step <= 5; step++) log.write({ type: 'train', step, loss: 1 / step });
    log.close();
    fs.appendFileSync(file, '{"type":"train","st'); // killed mid-write
    const resumed = new MetricsLog(file, { resumeAtStep: 3 });
    resumed.write({ type: 'train', step: 4, loss: 0.2 });
    resumed.close();
    expect(readMetrics(file).map((r) => [r.step, r.loss])).toEqual([[1, 1], [2, 0.5], [3, 1 / 3], [4, 0.2]]);
  });

  it('a new run starts a new file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-metrics-')), 'metrics.jsonl');
    fs.writeFileSync(file, '{"type":"train","step":9}\n');
    new MetricsLog(file).close();
    expect(readMetrics(file)).toEqual([]);
  });
});
