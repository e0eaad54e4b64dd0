/**
 * The images a pairs file names, found under the data folder or next to the pairs file, with the
 * face box from an image list that has them (the data folder's, then one beside the pairs file),
 * else `fallbackBox`, else the whole image.
 */
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { readImageList } from '@ffem/data';
import type { FaceImage } from './embed';
import type { Pair } from './pairs';

export type Box = FaceImage['box'];

export interface PairImageSources {
  pairsFile: string;
  /** The `--data` folder, searched first. */
  dataDir?: string;
  /** Boxes already known (the data folder's image list), by relative path. */
  boxes?: Map<string, Box>;
  fallbackBox?: Box;
}

/** Unique image paths of the pairs, in first-seen order. */
export function pairPaths(pairs: readonly Pair[]): string[] {
  const seen = new Set<string>();
  for (const p of pairs) {
    seen.add(p.a);
    seen.add(p.b);
  }
  return [...seen];
}

/** Loads boxes from an `image_list.json` beside the pairs file, if there is one. */
async function pairsDirBoxes(pairsFile: string): Promise<Map<string, Box>> {
  const list = path.join(path.dirname(pairsFile), 'image_list.json');
  const out = new Map<string, Box>();
  if (!fs.existsSync(list)) return out;
  for (const e of await readImageList(list)) out.set(e.path, { x1: e.x1, y1: e.y1, x2: e.x2, y2: e.y2 });
  return out;
}

/** Streams the given pair images; throws naming the pairs file and the missing image. */
export async function* pairImages(paths: readonly string[], src: PairImageSources): AsyncGenerator<FaceImage> {
  const beside = await pairsDirBoxes(src.pairsFile);
  const pairsDir = path.dirname(src.pairsFile);
  for (const rel of paths) {
    const candidates = [src.dataDir ? path.join(src.dataDir, rel) : null, path.join(pairsDir, rel)].filter((p): p is string => !!p);
    const file = candidates.find((c) => fs.existsSync(c));
    if (!file) throw new Error(`${src.pairsFile}: image ${rel} not found (looked in ${candidates.join(', ')})`);
    const bytes = await fs.promises.readFile(file);
    let box = src.boxes?.get(rel) ?? beside.get(rel) ?? src.fallbackBox;
    if (!box) {
      const meta = await sharp(bytes)
        .metadata()
        .catch((err: Error) => {
          throw new Error(`${file}: cannot read the image (${err.message})`);
        });
      box = { x1: 0, y1: 0, x2: meta.width ?? 0, y2: meta.height ?? 0 };
    }
    yield { path: rel, label: -1, box, bytes };
  }
}
