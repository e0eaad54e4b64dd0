import * as fs from 'fs';
import * as path from 'path';

/** The repository root (the folder holding nx.json). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'nx.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`repoRoot: no nx.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

/** Root of the shared data sets: $FFEM_SHARED_DATA, else `<repo>/../shared/data`. */
export function sharedDataRoot(): string {
  return process.env.FFEM_SHARED_DATA ?? path.resolve(repoRoot(), '..', 'shared', 'data');
}

/**
 * Absolute path of a shared data set (e.g. `sharedData('tfrecord-fixtures', 'flowers.tfrecord')`).
 * Throws with the path it looked at when it is missing: tests that need real data must not pass
 * silently without it (in CI or anywhere else).
 */
export function sharedData(...parts: string[]): string {
  const p = path.join(sharedDataRoot(), ...parts);
  if (!fs.existsSync(p)) {
    throw new Error(
      `shared data missing: ${p} (set FFEM_SHARED_DATA to the folder holding lfw-deepfunneled-dev/, ` +
        `lfw-pairs-devtrain/ and tfrecord-fixtures/)`,
    );
  }
  return p;
}
