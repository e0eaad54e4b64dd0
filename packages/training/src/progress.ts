/**
 * The training progress bar (cli-progress, on stderr): epoch, steps, images/s, loss, accuracy,
 * learning rate and ETA. Silent when stderr is not a terminal unless forced.
 */
import { SingleBar } from 'cli-progress';

export interface ProgressValues {
  epoch: number;
  epochs: number;
  loss: number;
  acc: number;
  lr: number;
  ips: number;
}

export interface Progress {
  /** total: optimizer steps in the epoch, 0 when not known yet. */
  start(total: number, at: number, v: ProgressValues): void;
  update(at: number, v: ProgressValues): void;
  stop(): void;
  /** Prints a line above the bar. */
  log(line: string): void;
}

const fmt = (v: ProgressValues) => ({
  ep: `${v.epoch + 1}/${v.epochs}`,
  loss: Number.isNaN(v.loss) ? '-' : v.loss.toFixed(4),
  acc: Number.isFinite(v.acc) ? v.acc.toFixed(3) : '-',
  lr: v.lr.toExponential(2),
  ips: v.ips.toFixed(1),
});

/** A progress bar on stderr; with `enabled` false, only `log` prints (to `log`). */
export function createProgress(enabled: boolean, log: (line: string) => void): Progress {
  if (!enabled) {
    return { start: () => undefined, update: () => undefined, stop: () => undefined, log };
  }
  // noTTYOutput: a bar asked for on a pipe (FFEM_PROGRESS=1) prints a line every 2 s instead of nothing.
  const common = { stream: process.stderr, barsize: 24, hideCursor: true, etaBuffer: 20, fps: 5, noTTYOutput: true };
  const stats = '{ips} img/s | loss {loss} | acc {acc} | lr {lr}';
  let bar: SingleBar | null = null;
  let active = false;
  return {
    start(total, at, v) {
      // Steps per epoch are unknown until the first epoch has been read: no bar and no ETA then.
      const format = total > 0 ? `epoch {ep} [{bar}] {value}/{total} steps | ${stats} | ETA {eta_formatted}` : `epoch {ep} | step {value} | ${stats}`;
      bar = new SingleBar({ ...common, format });
      bar.start(total > 0 ? total : 1e9, at, fmt(v));
      active = true;
    },
    update(at, v) {
      if (active) bar!.update(at, fmt(v));
    },
    stop() {
      if (active) bar!.stop();
      active = false;
    },
    log(line) {
      if (active) {
        // Clear the bar's line, print, and let the next update redraw it.
        process.stderr.write(`\r\x1b[2K${line}\n`);
      } else log(line);
    },
  };
}
