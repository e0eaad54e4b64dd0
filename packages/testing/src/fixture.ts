import * as fs from 'fs';
import type { Tolerance } from './expect-close';

/** A committed numeric fixture: values plus where they came from. */
export interface Fixture<T = Record<string, unknown>> {
  provenance: { generator: string; libraries: Record<string, string>; seed?: number | null; notes?: string };
  tolerance: Tolerance;
  data: T;
}

/** Reads a fixture and refuses one that does not name its generator and tolerance. */
export function loadFixture<T = Record<string, unknown>>(file: string): Fixture<T> {
  const f = JSON.parse(fs.readFileSync(file, 'utf8')) as Fixture<T>;
  if (!f.provenance?.generator || !f.provenance.libraries) {
    throw new Error(`${file}: fixture without provenance.generator/libraries`);
  }
  if (typeof f.tolerance?.atol !== 'number' || typeof f.tolerance?.rtol !== 'number') {
    throw new Error(`${file}: fixture without tolerance {atol, rtol}`);
  }
  return f;
}
