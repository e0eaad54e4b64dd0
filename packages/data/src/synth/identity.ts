/**
 * The stable traits of one synthetic identity: what stays the same across all of its images.
 * Values are fractions of the face width/height so they scale with the rendered face.
 */
import type { Rng } from '../rng';
import { pick } from './draw';

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export interface IdentityTraits {
  /** Face ellipse half-width as a fraction of the image size. */
  faceRx: number;
  /** Face height / width. */
  aspect: number;
  /** Chin pointiness: 0 = round ellipse, 1 = strongly tapered jaw. */
  jaw: number;
  skin: Rgb;
  hair: Rgb;
  /** 0 short, 1 long sides, 2 bald, 3 fringe, 4 tall top. */
  hairStyle: number;
  /** Eye centres' half-distance, fraction of faceRx. */
  eyeSpacing: number;
  /** Eye line height above the face centre, fraction of face half-height. */
  eyeHeight: number;
  eyeSize: number;
  iris: Rgb;
  browThickness: number;
  browSlope: number;
  noseLength: number;
  noseWidth: number;
  mouthWidth: number;
  mouthHeight: number;
  lips: Rgb;
  beard: boolean;
  /** A mole/mark: position (fractions of face radii) or null. */
  mark: { x: number; y: number } | null;
}

const SKIN_TONES: Rgb[] = [
  { r: 255, g: 224, b: 196 },
  { r: 241, g: 194, b: 150 },
  { r: 224, g: 172, b: 120 },
  { r: 198, g: 134, b: 86 },
  { r: 141, g: 85, b: 54 },
  { r: 94, g: 58, b: 36 },
];

const HAIR: Rgb[] = [
  { r: 20, g: 16, b: 14 },
  { r: 60, g: 40, b: 25 },
  { r: 120, g: 80, b: 40 },
  { r: 200, g: 160, b: 90 },
  { r: 150, g: 60, b: 30 },
  { r: 170, g: 170, b: 170 },
];

function jitter(rng: Rng, c: Rgb, amount: number): Rgb {
  const f = (v: number) => Math.max(0, Math.min(255, Math.round(v + rng.uniform(-amount, amount))));
  return { r: f(c.r), g: f(c.g), b: f(c.b) };
}

/** Draws an identity's traits from its own random stream. */
export function drawIdentity(rng: Rng): IdentityTraits {
  return {
    faceRx: rng.uniform(0.2, 0.27),
    aspect: rng.uniform(1.15, 1.45),
    jaw: rng.uniform(0, 1),
    skin: jitter(rng, pick(rng, SKIN_TONES), 18),
    hair: jitter(rng, pick(rng, HAIR), 20),
    hairStyle: rng.int(0, 5),
    eyeSpacing: rng.uniform(0.3, 0.5),
    eyeHeight: rng.uniform(0.1, 0.35),
    eyeSize: rng.uniform(0.08, 0.15),
    iris: jitter(rng, pick(rng, [{ r: 60, g: 40, b: 20 }, { r: 40, g: 90, b: 160 }, { r: 60, g: 120, b: 60 }, { r: 20, g: 20, b: 20 }]), 20),
    browThickness: rng.uniform(0.02, 0.07),
    browSlope: rng.uniform(-0.25, 0.25),
    noseLength: rng.uniform(0.2, 0.42),
    noseWidth: rng.uniform(0.1, 0.24),
    mouthWidth: rng.uniform(0.3, 0.6),
    mouthHeight: rng.uniform(0.35, 0.6),
    lips: jitter(rng, { r: 170, g: 70, b: 70 }, 35),
    beard: rng.next() < 0.25,
    mark: rng.next() < 0.4 ? { x: rng.uniform(-0.6, 0.6), y: rng.uniform(-0.3, 0.5) } : null,
  };
}
