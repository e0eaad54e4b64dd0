/**
 * Every random choice of one image's training transform, drawn up front in a fixed order (always
 * all 16 numbers, whether used or not), so a record's augmentation depends only on its seed.
 */
import type { Rng } from '../rng';
import type { AugmentOptions } from './augment-options';

export interface AugmentParams {
  /** Per-coordinate jitter scales [y1, x1, y2, x2], or null for the exact box. */
  jitter: [number, number, number, number] | null;
  flip: boolean;
  /** Colour parameters, or null when the colour transform is skipped. */
  color: { hue: number; brightness: number; contrast: number } | null;
  /** Cutout square: side (even, may be 0), centre as fractions of the output size, fill value. */
  cutout: { size: number; cy: number; cx: number; fill: number } | null;
  blur: 'gaussian' | 'median' | null;
}

export function drawAugmentParams(rng: Rng, o: AugmentOptions): AugmentParams {
  const f32 = Math.fround;
  const uJitter = rng.next();
  const scales = [0, 1, 2, 3].map(() => f32(rng.uniform(-o.boxJitter, o.boxJitter))) as [number, number, number, number];
  const uFlip = rng.next();
  const uColor = rng.next();
  const hue = rng.uniform(-o.hue, o.hue);
  const brightness = rng.uniform(-o.brightness, o.brightness);
  const contrast = rng.uniform(o.contrast[0], o.contrast[1]);
  const uCutout = rng.next();
  const half = rng.int(0, Math.floor(o.cutoutMaxSize / 2) + 1);
  const fill = rng.next();
  const cy = rng.next();
  const cx = rng.next();
  const uBlur = rng.next();
  const uBlurKind = rng.next();
  const blurKind = o.blur === 'random' ? (uBlurKind > 0.5 ? 'gaussian' : 'median') : o.blur;
  return {
    jitter: uJitter < o.boxJitterProbability ? scales : null,
    flip: uFlip < o.flipProbability,
    color: uColor < o.colorProbability ? { hue, brightness, contrast } : null,
    cutout: uCutout < o.cutoutProbability ? { size: 2 * half, cy, cx, fill: f32(fill) } : null,
    blur: blurKind !== 'none' && uBlur < o.blurProbability ? blurKind : null,
  };
}
