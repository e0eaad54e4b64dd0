/**
 * The face record schema of the Python FFEM original (`generate_tfrecord/main.py`): a
 * `tf.train.Example` with `jpeg` (bytes: the original image file) and `label`, `x1`, `y1`, `x2`,
 * `y2` (int64; box = left, top, right, bottom in pixels), so that the original's parse spec
 * (`tf.io.FixedLenFeature((), tf.string / tf.int64)` for each key) reads our files unchanged.
 */
import { decodeExample, encodeExample, type Feature } from './example';

export interface FaceRecord {
  jpeg: Uint8Array;
  label: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export const FACE_INT_KEYS = ['label', 'x1', 'y1', 'x2', 'y2'] as const;

/** Serializes a face record as a `tf.train.Example`. */
export function encodeFaceRecord(r: FaceRecord): Uint8Array {
  if (!(r.jpeg instanceof Uint8Array)) throw new Error(`face record: jpeg: expected Uint8Array`);
  for (const k of FACE_INT_KEYS) {
    if (!Number.isSafeInteger(r[k])) throw new Error(`face record: ${k}: expected an integer, got ${r[k]}`);
  }
  const features: Record<string, Feature> = {
    jpeg: { bytesList: [r.jpeg] },
    label: { int64List: [BigInt(r.label)] },
    x1: { int64List: [BigInt(r.x1)] },
    y1: { int64List: [BigInt(r.y1)] },
    x2: { int64List: [BigInt(r.x2)] },
    y2: { int64List: [BigInt(r.y2)] },
  };
  return encodeExample(features);
}

/** Parses a face record; errors name the missing or mistyped key. `jpeg` is a view into `buf`. */
export function decodeFaceRecord(buf: Uint8Array): FaceRecord {
  const ex = decodeExample(buf);
  const jpeg = ex.jpeg;
  if (!jpeg) throw new Error(`face record: missing key 'jpeg'`);
  if (!('bytesList' in jpeg) || jpeg.bytesList.length !== 1) {
    throw new Error(`face record: key 'jpeg': expected a bytes_list with 1 value, got ${describe(jpeg)}`);
  }
  const out: FaceRecord = { jpeg: jpeg.bytesList[0], label: 0, x1: 0, y1: 0, x2: 0, y2: 0 };
  for (const k of FACE_INT_KEYS) {
    const f = ex[k];
    if (!f) throw new Error(`face record: missing key '${k}'`);
    if (!('int64List' in f) || f.int64List.length !== 1) {
      throw new Error(`face record: key '${k}': expected an int64_list with 1 value, got ${describe(f)}`);
    }
    const v = f.int64List[0];
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new Error(`face record: key '${k}': ${v} does not fit a JS number exactly`);
    }
    out[k] = Number(v);
  }
  return out;
}

function describe(f: Feature): string {
  if ('bytesList' in f) return `a bytes_list with ${f.bytesList.length} value(s)`;
  if ('floatList' in f) return `a float_list with ${f.floatList.length} value(s)`;
  return `an int64_list with ${f.int64List.length} value(s)`;
}
