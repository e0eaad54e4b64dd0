import * as fs from 'fs';
import { expectClose, sharedData } from '@ffem/testing';
import { DEFAULT_AUGMENT } from './augment/augment-options';
import { drawAugmentParams } from './augment/augment-params';
import { flipLeftRight } from './augment/flip';
import { decodeImage } from './decode-image';
import { loadFaceCrop, transformFace } from './face-transform';
import { Rng } from './rng';

const jpeg = fs.readFileSync(sharedData('lfw-deepfunneled-dev', 'Aaron_Peirsol', 'Aaron_Peirsol_0001.jpg'));
const box = { x1: 68, y1: 68, x2: 182, y2: 182 };

describe('loadFaceCrop (test transform)', () => {
  it('with the whole image as box and its own size returns the decoded pixels / 255', async () => {
    const img = await decodeImage(jpeg);
    const out = await loadFaceCrop(jpeg, { x1: 0, y1: 0, x2: img.width, y2: img.height }, img.height, img.width);
    // x2 / W = 1 -> in_x = x * (W - 1) / (W - 1) = x: every sample is a pixel centre
    expectClose(out, Array.from(img.data, (v) => v / 255), { atol: 1e-7, rtol: 0 });
  });

  it('samples the LFW box [68, 68, 182, 182] at 112x112 like crop_and_resize', async () => {
    const img = await decodeImage(jpeg);
    const out = await loadFaceCrop(jpeg, box, 112, 112);
    expect(out.length).toBe(112 * 112 * 3);
    // Output (0, 0): in_y = in_x = (68 / 250) * 249 = 67.728: rows/cols 67 and 68, lerp 0.728.
    // Output (111, 111): (182 / 250) * 249 = 181.272: rows/cols 181 and 182, lerp 0.272.
    const px = (y: number, x: number, c: number) => img.data[(y * 250 + x) * 3 + c];
    const bil = (p: number, c: number) => {
      const a = Math.floor(p);
      const t = p - a;
      const top = px(a, a, c) + (px(a, a + 1, c) - px(a, a, c)) * t;
      const bot = px(a + 1, a, c) + (px(a + 1, a + 1, c) - px(a + 1, a, c)) * t;
      return (top + (bot - top) * t) / 255;
    };
    const p0 = (68 / 250) * 249;
    const p1 = (182 / 250) * 249;
    expectClose(out.subarray(0, 3), [0, 1, 2].map((c) => bil(p0, c)), { atol: 1e-5, rtol: 0 }, 'pixel (0, 0)');
    expectClose(out.subarray(out.length - 3), [0, 1, 2].map((c) => bil(p1, c)), { atol: 1e-5, rtol: 0 }, 'pixel (111, 111)');
  });

  it('throws on bytes that are not an image', async () => {
    await expect(loadFaceCrop(Buffer.from('not a jpeg'), box, 8, 8)).rejects.toThrow(/decodeImage: cannot decode/);
  });
});

describe('transformFace (training transform)', () => {
  it('keeps values in [0, 1] under every random augmentation', async () => {
    const img = await decodeImage(jpeg);
    const rng = new Rng(1);
    const o = { ...DEFAULT_AUGMENT, blur: 'random' as const, brightness: 0.5, contrast: [0.5, 2] as [number, number] };
    for (let i = 0; i < 20; i++) {
      const out = transformFace(img, box, 32, 32, drawAugmentParams(rng, o));
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of out) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThanOrEqual(1);
    }
  });

  it('with only a flip equals the mirrored test crop', async () => {
    const img = await decodeImage(jpeg);
    const plain = transformFace(img, box, 40, 48, null);
    const flipped = transformFace(img, box, 40, 48, { jitter: null, flip: true, color: null, cutout: null, blur: null });
    flipLeftRight(plain, 40, 48);
    expect(flipped).toEqual(plain);
  });

  it('a cutout fills its square with the constant', async () => {
    const img = await decodeImage(jpeg);
    const out = transformFace(img, box, 20, 20, {
      jitter: null,
      flip: false,
      color: null,
      cutout: { size: 6, cy: 0.5, cx: 0.5, fill: 0.25 },
      blur: null,
    });
    // centre (10, 10), rows/cols 7..12
    for (let y = 0; y < 20; y++)
      for (let x = 0; x < 20; x++) {
        const inside = y >= 7 && y < 13 && x >= 7 && x < 13;
        expect(out[(y * 20 + x) * 3] === 0.25).toBe(inside);
      }
  });

  it('box jitter changes the crop; no jitter keeps the exact box', async () => {
    const img = await decodeImage(jpeg);
    const plain = transformFace(img, box, 16, 16, null);
    const none = { jitter: null, flip: false, color: null, cutout: null, blur: null };
    expect(transformFace(img, box, 16, 16, none)).toEqual(plain);
    const jit = transformFace(img, box, 16, 16, { ...none, jitter: [0.1, 0.1, -0.1, -0.1] });
    expect(jit).not.toEqual(plain);
  });
});
