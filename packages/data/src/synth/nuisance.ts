/** What changes from one image of an identity to the next: pose, framing, light, expression, clutter. */
import type { Rgb } from './identity';
import type { Rng } from '../rng';
import { pick } from './draw';

export interface Occluder {
  kind: 'bar' | 'glasses' | 'hand';
  x: number;
  y: number;
  w: number;
  h: number;
  color: Rgb;
}

export interface Nuisance {
  /** In-plane rotation, degrees. */
  roll: number;
  /** Left-right head turn in [-1, 1]: features shift sideways, the face narrows. */
  yaw: number;
  scale: number;
  /** Face centre offset, fraction of the image size. */
  dx: number;
  dy: number;
  background: Rgb;
  clutter: { x: number; y: number; r: number; color: Rgb }[];
  /** Directional light: angle (degrees) and strength (0..1), plus a global gain. */
  lightAngle: number;
  lightStrength: number;
  gain: number;
  /** Colour cast added to every pixel. */
  cast: Rgb;
  /** Mouth curvature (-1 frown .. 1 smile) and eye openness (0.3..1). */
  smile: number;
  eyeOpen: number;
  occluders: Occluder[];
  noiseSigma: number;
  blurSigma: number;
  jpegQuality: number;
}

function colour(rng: Rng): Rgb {
  return { r: rng.int(0, 256), g: rng.int(0, 256), b: rng.int(0, 256) };
}

/** Draws one image's nuisance from its own random stream. */
export function drawNuisance(rng: Rng): Nuisance {
  const occluders: Occluder[] = [];
  if (rng.next() < 0.3) {
    const kind = pick(rng, ['bar', 'glasses', 'hand'] as const);
    occluders.push({
      kind,
      x: rng.uniform(-0.3, 0.3),
      y: rng.uniform(-0.3, 0.5),
      w: rng.uniform(0.3, 0.8),
      h: rng.uniform(0.15, 0.35),
      color: colour(rng),
    });
  }
  return {
    roll: rng.uniform(-18, 18),
    yaw: rng.uniform(-0.7, 0.7),
    scale: rng.uniform(0.85, 1.15),
    dx: rng.uniform(-0.07, 0.07),
    dy: rng.uniform(-0.07, 0.07),
    background: colour(rng),
    clutter: Array.from({ length: rng.int(0, 6) }, () => ({
      x: rng.uniform(0, 1),
      y: rng.uniform(0, 1),
      r: rng.uniform(0.05, 0.25),
      color: colour(rng),
    })),
    lightAngle: rng.uniform(0, 360),
    lightStrength: rng.uniform(0, 0.6),
    gain: rng.uniform(0.65, 1.3),
    cast: { r: rng.int(-25, 26), g: rng.int(-25, 26), b: rng.int(-25, 26) },
    smile: rng.uniform(-1, 1),
    eyeOpen: rng.uniform(0.3, 1),
    occluders,
    noiseSigma: rng.uniform(0, 12),
    blurSigma: rng.next() < 0.3 ? rng.uniform(0.4, 1.5) : 0,
    jpegQuality: rng.int(70, 96),
  };
}
