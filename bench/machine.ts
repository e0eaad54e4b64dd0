/** What every benchmark result records about where and with what it ran. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

function version(pkg: string): string | null {
  try {
    return require(`${pkg}/package.json`).version as string;
  } catch {
    return null;
  }
}

export function machineInfo(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadavgAtStart: os.loadavg().map((x) => +x.toFixed(2)),
    versions: Object.fromEntries(
      ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'onnxruntime-node', 'sharp', '@node-rs/crc32', 'onnx-proto'].map((p) => [
        p,
        version(p),
      ]),
    ),
    date: new Date().toISOString(),
  };
}

/** Writes `bench/results/<name>.json` atomically and prints it. */
export function writeResult(name: string, result: Record<string, unknown>): string {
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  const body = JSON.stringify({ benchmark: name, machine: machineInfo(), ...result }, null, 2) + '\n';
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, body);
  fs.renameSync(tmp, file);
  process.stdout.write(body);
  return file;
}
