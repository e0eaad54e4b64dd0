import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic as writeAtomic } from '@ffem/data';

/** Writes `file` atomically (@ffem/data's `writeFileAtomic`), creating its folder; errors name the file. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  try {
    writeAtomic(file, data);
  } catch (err) {
    throw new Error(`${file}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
