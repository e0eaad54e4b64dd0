/**
 * The work done per record on a worker thread: parse the face Example, decode the JPEG, crop
 * and augment. Pure apart from decoding, so it runs the same on the main thread (tests) and in
 * workers.
 */
import { decodeFaceRecord, type FaceRecord } from '@ffem/tfrecord';
import type { AugmentOptions } from '../augment/augment-options';
import { drawAugmentParams } from '../augment/augment-params';
import { decodeImage, type DecodedImage } from '../decode-image';
import { transformFace } from '../face-transform';
import { Rng } from '../rng';

export interface RecordTaskConfig {
  height: number;
  width: number;
  augment: AugmentOptions | null;
}

export interface RecordTask {
  id: number;
  /** Serialized `tf.train.Example`. */
  record: Uint8Array;
  /** Seed of this record's generator, mixSeed(seed, epoch, stream index). */
  seed: number;
}

/** Milliseconds per stage for one record. */
export interface RecordTimes {
  parse: number;
  decode: number;
  crop: number;
  augment: number;
}

export type RecordResult =
  | { id: number; ok: true; image: Float32Array; label: number; times: RecordTimes }
  | { id: number; ok: false; reason: 'bad-example' | 'undecodable-image' | 'bad-label' | 'transform-error'; message: string; times: RecordTimes };

export async function runRecordTask(task: RecordTask, cfg: RecordTaskConfig): Promise<RecordResult> {
  const times: RecordTimes = { parse: 0, decode: 0, crop: 0, augment: 0 };
  const t0 = performance.now();
  let rec: FaceRecord;
  try {
    rec = decodeFaceRecord(task.record);
  } catch (err) {
    return { id: task.id, ok: false, reason: 'bad-example', message: (err as Error).message, times };
  }
  if (!(rec.label >= 0 && rec.label <= 0x7fffffff)) {
    return { id: task.id, ok: false, reason: 'bad-label', message: `label ${rec.label} is not an int32 >= 0`, times };
  }
  const t1 = performance.now();
  times.parse = t1 - t0;
  let img: DecodedImage;
  try {
    img = await decodeImage(rec.jpeg);
  } catch (err) {
    times.decode = performance.now() - t1;
    return { id: task.id, ok: false, reason: 'undecodable-image', message: (err as Error).message, times };
  }
  times.decode = performance.now() - t1;
  const params = cfg.augment ? drawAugmentParams(new Rng(task.seed), cfg.augment) : null;
  const image = transformFace(img, rec, cfg.height, cfg.width, params, cfg.augment?.blurSigma ?? 1, times);
  return { id: task.id, ok: true, image, label: rec.label, times };
}
