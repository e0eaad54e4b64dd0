/**
 * Atomic file writes, the repo's convention for outputs: write `<file>.tmp-<pid>`, then rename
 * it over `file`, so a reader never sees half a file.
 */
import * as fs from 'fs';

/** Writes `file` through `<file>.tmp-<pid>` and a rename; on failure removes the temp file and rethrows. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
