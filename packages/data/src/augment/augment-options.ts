/**
 * The training transforms' knobs. Defaults are the Python FFEM's (github.com/shi510/ffem,
 * train/input_pipeline.py); where the original's behaviour differs from its evident intent,
 * the field's comment says what is done here.
 *
 * Granularity: the original ran colour and cutout after `ds.batch()`, so one hue/brightness/
 * contrast draw, one cutout gate, size and fill served a whole batch (flip, box jitter and the
 * cutout position were per image). Here every draw is per image, seeded per record, so a record's
 * augmentation does not depend on which batch it lands in.
 */

/** Which blur, if any, the training transform applies (the original defines a 50/50
 * gaussian/median `blur()` but does not call it in its pipeline, hence `'none'`). */
export type BlurKind = 'none' | 'gaussian' | 'median' | 'random';

export interface AugmentOptions {
  /** Probability of jittering the face box (original: 0.5, `choice < 0.5` keeps the exact box). */
  boxJitterProbability: number;
  /** Each box coordinate v becomes v + v * U(-r, r), then clipped to [0, 1] (original r = 0.1). */
  boxJitter: number;
  /** Probability of a horizontal flip (original: `tf.image.random_flip_left_right`, 0.5). */
  flipProbability: number;
  /**
   * Probability of the colour transform (hue, brightness, contrast). Original: 1 whenever it is
   * on; its 50% gate was a scalar drawn once, eagerly, when the pipeline was built, so a whole run
   * had colour either always or never. Here every image gets it with this probability.
   */
  colorProbability: number;
  /** Hue shift drawn from U(-hue, hue), in turns (original `random_hue(x, 0.1)`). */
  hue: number;
  /** Brightness delta drawn from U(-b, b) added to [0, 1] values (original `random_brightness(x, 0.1)`). */
  brightness: number;
  /** Contrast factor drawn from U(lo, hi) around each channel's mean (original `random_contrast(x, 0.9, 1.1)`). */
  contrast: [number, number];
  /** Probability of cutout (original 0.5). */
  cutoutProbability: number;
  /** Largest cutout side in pixels; the side is 2 * randint(0, floor(max / 2)], i.e. even
   * (original: `2 * uniform_int[0, 20)`, so 0..38). Fill: a constant from U(0, 1). */
  cutoutMaxSize: number;
  /** Blur: 'gaussian' (5x5, sigma `blurSigma`), 'median' (5x5), 'random' (50/50), 'none' (default). */
  blur: BlurKind;
  /** Probability of the blur when `blur` is not 'none' (default 1). */
  blurProbability: number;
  /** Sigma of the gaussian blur (original `gaussian_filter2d(x, [5, 5], 1.0)`). */
  blurSigma: number;
}

/** The original's training transform. */
export const DEFAULT_AUGMENT: Readonly<AugmentOptions> = Object.freeze({
  boxJitterProbability: 0.5,
  boxJitter: 0.1,
  flipProbability: 0.5,
  colorProbability: 1,
  hue: 0.1,
  brightness: 0.1,
  contrast: [0.9, 1.1] as [number, number],
  cutoutProbability: 0.5,
  cutoutMaxSize: 38,
  blur: 'none' as BlurKind,
  blurProbability: 1,
  blurSigma: 1,
});

const PROBABILITIES = ['boxJitterProbability', 'flipProbability', 'colorProbability', 'cutoutProbability', 'blurProbability'] as const;
const NON_NEGATIVE = ['boxJitter', 'hue', 'brightness', 'cutoutMaxSize', 'blurSigma'] as const;

/**
 * `true` -> the defaults, `false`/undefined -> null (test transform), a partial object -> the
 * defaults overridden by it. Unknown keys and out-of-range values throw naming the key.
 */
export function resolveAugment(augment: boolean | Partial<AugmentOptions> | undefined): AugmentOptions | null {
  if (augment === undefined || augment === false) return null;
  if (augment === true) return { ...DEFAULT_AUGMENT, contrast: [...DEFAULT_AUGMENT.contrast] };
  const known = new Set(Object.keys(DEFAULT_AUGMENT));
  for (const k of Object.keys(augment)) {
    if (!known.has(k)) throw new Error(`augment: unknown option '${k}' (known: ${[...known].join(', ')})`);
  }
  const o: AugmentOptions = { ...DEFAULT_AUGMENT, contrast: [...DEFAULT_AUGMENT.contrast], ...augment };
  for (const k of PROBABILITIES) {
    if (!(o[k] >= 0 && o[k] <= 1)) throw new Error(`augment: ${k} must be in [0, 1], got ${o[k]}`);
  }
  for (const k of NON_NEGATIVE) {
    if (!(o[k] >= 0 && Number.isFinite(o[k]))) throw new Error(`augment: ${k} must be a finite number >= 0, got ${o[k]}`);
  }
  if (!Array.isArray(o.contrast) || o.contrast.length !== 2 || !(o.contrast[0] <= o.contrast[1])) {
    throw new Error(`augment: contrast must be [lo, hi] with lo <= hi, got ${JSON.stringify(o.contrast)}`);
  }
  if (!['none', 'gaussian', 'median', 'random'].includes(o.blur)) {
    throw new Error(`augment: blur must be none|gaussian|median|random, got ${JSON.stringify(o.blur)}`);
  }
  return o;
}
