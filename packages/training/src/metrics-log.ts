/**
 * Metrics as JSON lines (`metrics.jsonl`): one object per line, each with `type` ('train' |
 * 'eval' | 'event') and `step`. Lines are appended and flushed as they come. On resume, the lines
 * past the checkpoint's step (work the interrupted run did after its last checkpoint, to be
 * redone) are dropped first, so the file reads as if the run had never stopped.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from './checkpoint';

export interface MetricsRecord {
  type: 'train' | 'eval' | 'event';
  step: number;
  [key: string]: unknown;
}

export class MetricsLog {
  private fd: number;

  constructor(
    readonly file: string,
    opts: { resumeAtStep?: number } = {},
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (opts.resumeAtStep !== undefined && fs.existsSync(file)) {
      const kept = fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => {
          if (!line.trim()) return false;
          try {
            const rec = JSON.parse(line) as MetricsRecord;
            return typeof rec.step === 'number' && rec.step <= opts.resumeAtStep!;
          } catch {
            return false; // a torn last line from a killed process
          }
        });
      writeFileAtomic(file, kept.map((l) => `${l}\n`).join(''));
    } else if (opts.resumeAtStep === undefined) {
      fs.rmSync(file, { force: true });
    }
    this.fd = fs.openSync(file, 'a');
  }

  write(rec: MetricsRecord): void {
    fs.writeSync(this.fd, `${JSON.stringify({ ...rec, time: new Date().toISOString() })}\n`);
  }

  close(): void {
    if (this.fd < 0) return;
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}

/** Reads a metrics.jsonl file. */
export function readMetrics(file: string): MetricsRecord[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as MetricsRecord);
}
