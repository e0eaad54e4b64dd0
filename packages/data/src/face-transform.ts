/**
 * What one face record becomes before it reaches the model: the training transform (box jitter,
 * crop_and_resize, /255, flip, colour, clip, blur, cutout; the original's order) and the test
 * transform (exact box crop, /255).
 */
import { adjustBrightness, adjustContrast, adjustHue, clipValues } from './augment/color';
import type { AugmentParams } from './augment/augment-params';
import { gaussianBlur5, medianBlur5 } from './augment/blur';
import { cutout } from './augment/cutout';
import { flipLeftRight } from './augment/flip';
import { cropAndResize } from './crop-and-resize';
import { decodeImage, type DecodedImage } from './decode-image';
import { jitterBox, normaliseBox, type PixelBox } from './face-box';

/** Time spent per stage, in milliseconds (filled when given). */
export interface StageTimes {
  crop: number;
  augment: number;
}

/**
 * Crops the face out of a decoded image and applies `params` (null: test transform).
 * Returns float32 HWC RGB of height x width x 3 in [0, 1].
 */
export function transformFace(
  img: DecodedImage,
  box: PixelBox,
  height: number,
  width: number,
  params: AugmentParams | null,
  blurSigma = 1,
  times?: StageTimes,
): Float32Array {
  const t0 = times ? performance.now() : 0;
  let nbox = normaliseBox(box, img.width, img.height);
  if (params?.jitter) nbox = jitterBox(nbox, params.jitter);
  let out = cropAndResize(img, nbox, height, width);
  const t1 = times ? performance.now() : 0;
  if (params) {
    if (params.flip) flipLeftRight(out, height, width);
    if (params.color) {
      adjustHue(out, params.color.hue);
      adjustBrightness(out, params.color.brightness);
      adjustContrast(out, params.color.contrast);
    }
    clipValues(out, 0, 1);
    if (params.blur === 'gaussian') out = gaussianBlur5(out, height, width, blurSigma);
    else if (params.blur === 'median') out = medianBlur5(out, height, width);
    if (params.cutout) {
      const c = params.cutout;
      cutout(out, height, width, Math.floor(c.cy * height), Math.floor(c.cx * width), c.size, c.fill);
    }
  }
  if (times) {
    times.crop += t1 - t0;
    times.augment += performance.now() - t1;
  }
  return out;
}

/**
 * The test-time transform used by evaluation: decode, crop the pixel box exactly (normalised by
 * the image size as in the original, no clipping, outside the image -> 0), resize to
 * height x width, scale to [0, 1].
 */
export async function loadFaceCrop(bytes: Uint8Array, box: PixelBox, height: number, width: number): Promise<Float32Array> {
  const img = await decodeImage(bytes);
  return transformFace(img, box, height, width, null);
}
