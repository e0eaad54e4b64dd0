/** One progress bar style for every long-running subcommand (stderr, so stdout stays parseable). */
import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  update(done: number, payload?: Record<string, string | number>): void;
  stop(): void;
}

/** Whether subcommands draw progress bars: on a terminal, or when FFEM_PROGRESS=1. */
export function progressEnabled(): boolean {
  return Boolean(process.stderr.isTTY) || process.env.FFEM_PROGRESS === '1';
}

/** A bar with count, rate and ETA; silent unless {@link progressEnabled}. */
export function progressBar(label: string, total: number, extra = ''): Progress {
  if (!progressEnabled()) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} {percentage}% | {rate}/s | ETA {eta_formatted}${extra ? ` | ${extra}` : ''}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
      // A bar asked for on a pipe (FFEM_PROGRESS=1) prints a line every 2 s instead of nothing.
      noTTYOutput: true,
    },
    Presets.shades_classic,
  );
  const t0 = Date.now();
  bar.start(total, 0, { rate: '0.0' });
  return {
    update(done, payload = {}) {
      const secs = (Date.now() - t0) / 1000;
      bar.update(done, { rate: secs > 0 ? (done / secs).toFixed(1) : '0.0', ...payload });
    },
    stop: () => bar.stop(),
  };
}
