/**
 * `ffem synth`: a synthetic face-like dataset in the original's layout, so the main job needs no
 * download. Each identity has stable traits (identity.ts); each image its own nuisance
 * (nuisance.ts). Output: `<out>/id_<i>/id_<i>_<j>.jpg` and `<out>/image_list.json`.
 */
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { drawIdentity } from './identity';
import { drawNuisance, type Nuisance } from './nuisance';
import { renderFace, type Box } from './render';
import { Rng, mixSeed } from '../rng';
import { writeFileAtomic } from '../write-atomic';
import { normal } from './draw';

export interface SynthOptions {
  out: string;
  identities: number;
  imagesPerIdentity: number;
  /** Image side in pixels (default 112). */
  size?: number;
  seed?: number;
  /** Called after each image with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

export interface SynthEntry extends Box {
  label: number;
}

export interface SynthResult {
  imageList: string;
  images: number;
  identities: number;
}

/** Applies gain, colour cast and gaussian noise to raw RGB pixels, in place. */
function photometric(px: Uint8Array, nz: Nuisance, rng: Rng): void {
  const cast = [nz.cast.r, nz.cast.g, nz.cast.b];
  for (let i = 0; i < px.length; i++) {
    const v = px[i] * nz.gain + cast[i % 3] + (nz.noiseSigma ? nz.noiseSigma * normal(rng) : 0);
    px[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
}

/** Renders one image's JPEG bytes and its face box. */
export async function renderImage(seed: number, identity: number, index: number, size: number): Promise<{ jpeg: Buffer; box: Box }> {
  const traits = drawIdentity(new Rng(mixSeed(seed, identity)));
  const rng = new Rng(mixSeed(seed, identity, index + 1));
  const nz = drawNuisance(rng);
  const { svg, box } = renderFace(traits, nz, size);
  let img = sharp(Buffer.from(svg)).removeAlpha();
  if (nz.blurSigma > 0.3) img = img.blur(nz.blurSigma);
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  photometric(data, nz, rng);
  const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .jpeg({ quality: nz.jpegQuality })
    .toBuffer();
  return { jpeg, box };
}

function checkCount(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new Error(`synth: --${name} must be an integer >= ${min}, got ${v}`);
}

export async function generateSynthDataset(opts: SynthOptions): Promise<SynthResult> {
  const size = opts.size ?? 112;
  const seed = opts.seed ?? 0;
  checkCount('identities', opts.identities, 1);
  checkCount('images-per-identity', opts.imagesPerIdentity, 1);
  checkCount('size', size, 32);
  fs.mkdirSync(opts.out, { recursive: true });
  const total = opts.identities * opts.imagesPerIdentity;
  const width = Math.max(4, String(opts.identities - 1).length);
  const list: Record<string, SynthEntry> = {};
  let done = 0;
  for (let i = 0; i < opts.identities; i++) {
    const name = `id_${String(i).padStart(width, '0')}`;
    fs.mkdirSync(path.join(opts.out, name), { recursive: true });
    for (let j = 0; j < opts.imagesPerIdentity; j++) {
      const rel = `${name}/${name}_${String(j + 1).padStart(4, '0')}.jpg`;
      const { jpeg, box } = await renderImage(seed, i, j, size);
      const file = path.join(opts.out, rel);
      writeFileAtomic(file, jpeg);
      list[rel] = { label: i, ...box };
      opts.onProgress?.(++done, total);
    }
  }
  const imageList = path.join(opts.out, 'image_list.json');
  const body = `{\n${Object.entries(list)
    .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(',\n')}\n}\n`;
  writeFileAtomic(imageList, body);
  return { imageList, images: total, identities: opts.identities };
}
