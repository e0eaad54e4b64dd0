import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';

const IMAGE = /\.(jpe?g|png|webp)$/i;

interface Entry {
  file: string;
  box?: { x1: number; y1: number; x2: number; y2: number };
}

function listImages(dir: string, count: number): Entry[] {
  const list = path.join(dir, 'image_list.json');
  if (fs.existsSync(list)) {
    const json = JSON.parse(fs.readFileSync(list, 'utf8')) as Record<string, { x1: number; y1: number; x2: number; y2: number }>;
    return Object.keys(json)
      .sort()
      .slice(0, count)
      .map((k) => ({ file: path.join(dir, k), box: json[k] }));
  }
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (found.length >= count) return;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (IMAGE.test(e.name)) found.push(p);
    }
  };
  walk(dir);
  return found.map((file) => ({ file }));
}

async function crop(e: Entry, h: number, w: number): Promise<Float32Array> {
  const img = sharp(fs.readFileSync(e.file));
  const meta = await img.metadata();
  const W = meta.width ?? 0;
  const H = meta.height ?? 0;
  let left: number, top: number, width: number, height: number;
  if (e.box) {
    left = Math.max(0, Math.round(e.box.x1));
    top = Math.max(0, Math.round(e.box.y1));
    width = Math.min(W, Math.round(e.box.x2)) - left;
    height = Math.min(H, Math.round(e.box.y2)) - top;
  } else {
    const s = Math.min(W, H);
    left = Math.floor((W - s) / 2);
    top = Math.floor((H - s) / 2);
    width = height = s;
  }
  if (width <= 0 || height <= 0) throw new Error(`${e.file}: box outside the ${W}x${H} image`);
  const raw = await img.extract({ left, top, width, height }).resize(w, h, { fit: 'fill' }).removeAlpha().toColourspace('srgb').raw().toBuffer();
  return Float32Array.from(raw, (v) => v / 255);
}

/**
 * Up to `count` face crops from `dir` as one NHWC float32 batch in [0, 1]: the boxes of its
 * `image_list.json` when it has one, else centre squares of the images found under it. For
 * `--verify` (parity with tfjs), not a replacement for the training pipeline's crop.
 */
export async function loadVerifyImages(dir: string, h: number, w: number, count = 8): Promise<tf.Tensor4D> {
  if (!fs.existsSync(dir)) throw new Error(`${dir}: verify images folder not found`);
  const entries = listImages(dir, count);
  if (entries.length === 0) throw new Error(`${dir}: no images (jpg, png, webp) found`);
  const crops = await Promise.all(entries.map((e) => crop(e, h, w)));
  const data = new Float32Array(crops.length * h * w * 3);
  crops.forEach((c, i) => data.set(c, i * c.length));
  return tf.tensor4d(data, [crops.length, h, w, 3]);
}
