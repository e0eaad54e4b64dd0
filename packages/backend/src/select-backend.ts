import * as tf from '@tensorflow/tfjs';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  /** tfjs backend name now active ('tensorflow', 'wasm', 'cpu'). */
  name: string;
  /** Which package provided it, e.g. '@tensorflow/tfjs-node-gpu'. */
  provider: string;
  /** Why the better candidates were not used (missing package, failed init). */
  skipped: string[];
}

interface Candidate {
  choice: Exclude<BackendChoice, 'auto'>;
  provider: string;
  /** Loads the package that registers the backend; throws when it cannot be had. */
  load: () => Promise<void>;
}

const candidates: Candidate[] = [
  { choice: 'tensorflow', provider: '@tensorflow/tfjs-node-gpu', load: async () => void require('@tensorflow/tfjs-node-gpu') },
  { choice: 'tensorflow', provider: '@tensorflow/tfjs-node', load: async () => void require('@tensorflow/tfjs-node') },
  {
    choice: 'wasm',
    provider: '@tensorflow/tfjs-backend-wasm',
    load: async () => {
      require('@tensorflow/tfjs-backend-wasm');
    },
  },
  { choice: 'cpu', provider: '@tensorflow/tfjs-backend-cpu', load: async () => undefined },
];

/** The candidates in order of preference, filtered by the user's choice. */
export function availableBackends(choice: BackendChoice = 'auto'): string[] {
  return candidates.filter((c) => choice === 'auto' || c.choice === choice).map((c) => c.provider);
}

/**
 * Activates the best backend that loads (tfjs-node-gpu → tfjs-node → wasm → cpu), or the one
 * named. Logs which one runs through `log` (default: stderr) unless `log` is null.
 */
export async function initBackend(
  choice: BackendChoice = 'auto',
  log: ((line: string) => void) | null = (l) => process.stderr.write(`${l}\n`),
): Promise<BackendInfo> {
  const skipped: string[] = [];
  for (const c of candidates) {
    if (choice !== 'auto' && c.choice !== choice) continue;
    try {
      await c.load();
      if (!(await tf.setBackend(c.choice))) throw new Error(`tf.setBackend('${c.choice}') returned false`);
      await tf.ready();
      const info = { name: tf.getBackend(), provider: c.provider, skipped };
      log?.(`[ffem] tfjs backend: ${info.name} (${info.provider})${skipped.length ? `; skipped: ${skipped.join('; ')}` : ''}`);
      return info;
    } catch (err) {
      skipped.push(`${c.provider}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`no tfjs backend could be started for '${choice}': ${skipped.join('; ')}`);
}
