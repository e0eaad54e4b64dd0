/**
 * `tf.train.Example` encode/decode: a small hand codec of the few wire types Example uses
 * (tensorflow/core/example/{example,feature}.proto):
 *
 *   Example  { Features features = 1; }
 *   Features { map<string, Feature> feature = 1; }          // entry { string key = 1; Feature value = 2; }
 *   Feature  { oneof kind { BytesList bytes_list = 1; FloatList float_list = 2; Int64List int64_list = 3; } }
 *   BytesList { repeated bytes value = 1; }  FloatList { repeated float value = 1 [packed]; }  Int64List { repeated int64 value = 1 [packed]; }
 *
 * Chosen over protobufjs by measurement (`bench/tfrecord.bench.ts`, section `example`): the hand
 * codec needs no schema objects, keeps int64 as bigint without Long, and decodes bytes as views.
 */

/** One feature: exactly one of the three list kinds. int64 values are bigint (full range, no loss). */
export type Feature = { bytesList: Uint8Array[] } | { floatList: number[] } | { int64List: bigint[] };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

// ---------------------------------------------------------------- encode

function varintSize(v: number): number {
  // v: 0 <= v < 2^53
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Size of an int64 as a varint (negative numbers take 10 bytes, two's complement). */
function int64Size(v: bigint): number {
  if (v < 0n) return 10;
  if (v <= 0x1fffffffffffffn) return varintSize(Number(v));
  let n = 1;
  while (v >= 128n) {
    v >>= 7n;
    n++;
  }
  return n;
}

class Out {
  readonly buf: Uint8Array;
  readonly view: DataView;
  pos = 0;
  constructor(size: number) {
    // Every byte gets written: no need to zero-fill (allocUnsafe also pools small buffers).
    this.buf = Buffer.allocUnsafe(size);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, size);
  }
  byte(b: number): void {
    this.buf[this.pos++] = b;
  }
  varint(v: number): void {
    while (v >= 128) {
      this.buf[this.pos++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }
  int64(v: bigint): void {
    if (v >= 0n && v <= 0x1fffffffffffffn) {
      this.varint(Number(v));
      return;
    }
    let u = BigInt.asUintN(64, v);
    while (u >= 128n) {
      this.buf[this.pos++] = Number(u & 127n) | 128;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }
  bytes(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

interface Planned {
  key: Uint8Array;
  feature: Feature;
  /** Size of the list message (inside Feature). */
  listSize: number;
  /** Size of the packed payload (numeric lists). */
  packedSize: number;
  featureSize: number;
  entrySize: number;
}

// (No closures on the hot paths: tsx's keepNames wraps each one created in a call.)
function kindOf(name: string, f: Feature): 'bytes' | 'float' | 'int64' {
  const b = 'bytesList' in f;
  const fl = 'floatList' in f;
  const i = 'int64List' in f;
  if (+b + +fl + +i !== 1) throw new Error(`feature '${name}': expected exactly one of bytesList, floatList, int64List`);
  return b ? 'bytes' : fl ? 'float' : 'int64';
}

const keyCache = new Map<string, Uint8Array>();

function encodeKey(name: string): Uint8Array {
  let k = keyCache.get(name);
  if (!k) {
    k = utf8.encode(name);
    if (keyCache.size < 1024) keyCache.set(name, k);
  }
  return k;
}

function plan(name: string, feature: Feature): Planned {
  const key = encodeKey(name);
  let listSize = 0;
  let packedSize = 0;
  const kind = kindOf(name, feature);
  if (kind === 'bytes') {
    for (const v of (feature as { bytesList: Uint8Array[] }).bytesList) {
      if (!(v instanceof Uint8Array)) throw new Error(`feature '${name}': bytesList values must be Uint8Array`);
      listSize += 1 + varintSize(v.length) + v.length;
    }
  } else if (kind === 'float') {
    packedSize = 4 * (feature as { floatList: number[] }).floatList.length;
    listSize = packedSize > 0 ? 1 + varintSize(packedSize) + packedSize : 0;
  } else {
    for (const v of (feature as { int64List: bigint[] }).int64List) {
      if (typeof v !== 'bigint') throw new Error(`feature '${name}': int64List values must be bigint, got ${typeof v}`);
      if (v < INT64_MIN || v > INT64_MAX) throw new Error(`feature '${name}': ${v} is outside the int64 range`);
      packedSize += int64Size(v);
    }
    listSize = packedSize > 0 ? 1 + varintSize(packedSize) + packedSize : 0;
  }
  const featureSize = 1 + varintSize(listSize) + listSize;
  const entrySize = 1 + varintSize(key.length) + key.length + 1 + varintSize(featureSize) + featureSize;
  return { key, feature, listSize, packedSize, featureSize, entrySize };
}

function byKey(a: Planned, b: Planned): number {
  return compareBytes(a.key, b.key);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export interface EncodeExampleOptions {
  /**
   * Write map entries sorted by key (UTF-8 byte order, as protobuf's deterministic serialization;
   * default true), or in the object's own key order (false; reproduces a decoded file byte for byte).
   */
  sortKeys?: boolean;
}

/**
 * Serializes a `tf.train.Example`. Numeric lists are packed, as TensorFlow writes them.
 */
export function encodeExample(features: Record<string, Feature>, opts: EncodeExampleOptions = {}): Uint8Array {
  const planned: Planned[] = [];
  for (const k of Object.keys(features)) planned.push(plan(k, features[k]));
  if (opts.sortKeys ?? true) planned.sort(byKey);
  let featuresSize = 0;
  for (const p of planned) featuresSize += 1 + varintSize(p.entrySize) + p.entrySize;
  const out = new Out(1 + varintSize(featuresSize) + featuresSize);
  out.byte(0x0a); // Example.features
  out.varint(featuresSize);
  for (const p of planned) {
    out.byte(0x0a); // Features.feature (map entry)
    out.varint(p.entrySize);
    out.byte(0x0a); // entry.key
    out.varint(p.key.length);
    out.bytes(p.key);
    out.byte(0x12); // entry.value
    out.varint(p.featureSize);
    const f = p.feature;
    if ('bytesList' in f) {
      out.byte(0x0a);
      out.varint(p.listSize);
      for (const v of f.bytesList) {
        out.byte(0x0a);
        out.varint(v.length);
        out.bytes(v);
      }
    } else if ('floatList' in f) {
      out.byte(0x12);
      out.varint(p.listSize);
      if (p.packedSize > 0) {
        out.byte(0x0a);
        out.varint(p.packedSize);
        for (const v of f.floatList) {
          out.view.setFloat32(out.pos, v, true);
          out.pos += 4;
        }
      }
    } else {
      out.byte(0x1a);
      out.varint(p.listSize);
      if (p.packedSize > 0) {
        out.byte(0x0a);
        out.varint(p.packedSize);
        for (const v of f.int64List) out.int64(v);
      }
    }
  }
  return out.buf;
}

// ---------------------------------------------------------------- decode

class In {
  pos: number;
  private dv: DataView | null;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
    readonly where: string,
    view: DataView | null = null,
  ) {
    this.pos = start;
    this.dv = view;
  }
  /** A DataView over `buf` (made on first use, shared with sub-readers). */
  get view(): DataView {
    return (this.dv ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength));
  }
  /** A reader of the sub-message [start, end). */
  sub(start: number, end: number, where = this.where): In {
    return new In(this.buf, start, end, where, this.dv);
  }
  fail(what: string): never {
    throw new Error(`Example: ${this.where}: ${what} at byte ${this.pos}`);
  }
  /** A varint up to 2^53 (tags and lengths). */
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const b = this.buf[this.pos++];
      result += (b & 127) * mul;
      if (b < 128) return result;
      mul *= 128;
    }
    this.fail('varint too long for a length or tag');
  }
  /** A full 64-bit varint as a signed int64. */
  int64(): bigint {
    let lo = 0;
    let hi = 0;
    let b: number;
    let i = 0;
    // bits 0..27
    for (; i < 4; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      b = this.buf[this.pos++];
      lo |= (b & 127) << (7 * i);
      if (b < 128) return BigInt(lo >>> 0);
    }
    // byte 4: bits 28..34
    if (this.pos >= this.end) this.fail('truncated varint');
    b = this.buf[this.pos++];
    lo |= (b & 15) << 28;
    hi = (b & 127) >> 4;
    if (b >= 128) {
      for (i = 0; i < 5; i++) {
        if (this.pos >= this.end) this.fail('truncated varint');
        b = this.buf[this.pos++];
        hi |= (b & 127) << (7 * i + 3);
        if (b < 128) break;
      }
      if (b >= 128) this.fail('varint longer than 10 bytes');
    }
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0) return BigInt(lo);
    if (hi < 0x200000) return BigInt(hi * 4294967296 + lo);
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  }
  /** Length-delimited field: returns [start, end). */
  delimited(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    if (len > this.end - start) this.fail(`length ${len} runs past the end`);
    this.pos = start + len;
    return [start, this.pos];
  }
  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.int64();
        return;
      case 1:
        if (this.end - this.pos < 8) this.fail('truncated fixed64');
        this.pos += 8;
        return;
      case 2:
        this.delimited();
        return;
      case 5:
        if (this.end - this.pos < 4) this.fail('truncated fixed32');
        this.pos += 4;
        return;
      default:
        this.fail(`unsupported wire type ${wireType}`);
    }
  }
}

function decodeBytesList(r: In, start: number, end: number, into: Uint8Array[]): void {
  const s = r.sub(start, end);
  while (s.pos < end) {
    const tag = s.varint();
    if (tag === 0x0a) {
      const [a, b] = s.delimited();
      into.push(s.buf.subarray(a, b));
    } else s.skip(tag & 7);
  }
}

function decodeFloatList(r: In, start: number, end: number, into: number[]): void {
  const s = r.sub(start, end);
  while (s.pos < end) {
    const tag = s.varint();
    if (tag === 0x0a) {
      const [a, b] = s.delimited();
      if ((b - a) % 4 !== 0) s.fail(`packed float list of ${b - a} bytes`);
      for (let p = a; p < b; p += 4) into.push(s.view.getFloat32(p, true));
    } else if (tag === 0x0d) {
      if (end - s.pos < 4) s.fail('truncated float');
      into.push(s.view.getFloat32(s.pos, true));
      s.pos += 4;
    } else s.skip(tag & 7);
  }
}

function decodeInt64List(r: In, start: number, end: number, into: bigint[]): void {
  const s = r.sub(start, end);
  while (s.pos < end) {
    const tag = s.varint();
    if (tag === 0x0a) {
      const [a, b] = s.delimited();
      const packed = s.sub(a, b);
      while (packed.pos < b) into.push(packed.int64());
    } else if (tag === 0x08) {
      into.push(s.int64());
    } else s.skip(tag & 7);
  }
}

/** Map keys are short and nearly always ASCII: build those in JS, leave the rest to TextDecoder. */
function decodeKey(buf: Uint8Array, a: number, b: number, r: In): string {
  if (b - a <= 64) {
    let ascii = true;
    for (let i = a; i < b; i++) if (buf[i] >= 0x80) ascii = false;
    if (ascii) {
      let k = '';
      for (let i = a; i < b; i++) k += String.fromCharCode(buf[i]);
      return k;
    }
  }
  try {
    return utf8Decoder.decode(buf.subarray(a, b));
  } catch {
    r.fail('key is not valid UTF-8');
  }
}

type Kind = 'bytesList' | 'floatList' | 'int64List';

function decodeFeature(r: In, start: number, end: number): Feature {
  const s = r.sub(start, end);
  let kind: Kind | null = null;
  let values: Uint8Array[] | number[] | bigint[] = [];
  while (s.pos < end) {
    const tag = s.varint();
    const field = tag >>> 3;
    if ((tag & 7) === 2 && field >= 1 && field <= 3) {
      const [a, b] = s.delimited();
      const k: Kind = field === 1 ? 'bytesList' : field === 2 ? 'floatList' : 'int64List';
      // oneof: a later member replaces an earlier one; the same member repeated merges (appends).
      if (k !== kind) values = [];
      kind = k;
      if (k === 'bytesList') decodeBytesList(s, a, b, values as Uint8Array[]);
      else if (k === 'floatList') decodeFloatList(s, a, b, values as number[]);
      else decodeInt64List(s, a, b, values as bigint[]);
    } else s.skip(tag & 7);
  }
  // A Feature with no kind set decodes as an empty BytesList.
  if (kind === 'int64List') return { int64List: values as bigint[] };
  if (kind === 'floatList') return { floatList: values as number[] };
  return { bytesList: values as Uint8Array[] };
}

/**
 * Parses a serialized `tf.train.Example`. Accepts packed and unpacked numeric lists and skips
 * unknown fields. Bytes values are views into `buf` (no copy). A feature with no kind set decodes
 * as `{ bytesList: [] }`; a repeated key keeps the last value, as protobuf maps do.
 */
export function decodeExample(buf: Uint8Array): Record<string, Feature> {
  const out: Record<string, Feature> = {};
  const r = new In(buf, 0, buf.length, 'Example');
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag !== 0x0a) {
      r.skip(tag & 7);
      continue;
    }
    const [fa, fb] = r.delimited();
    const f = r.sub(fa, fb, 'Features');
    while (f.pos < fb) {
      const ftag = f.varint();
      if (ftag !== 0x0a) {
        f.skip(ftag & 7);
        continue;
      }
      const [ea, eb] = f.delimited();
      const e = f.sub(ea, eb, 'feature map entry');
      let key = '';
      let feature: Feature | null = null;
      while (e.pos < eb) {
        const etag = e.varint();
        if (etag === 0x0a) {
          const [ka, kb] = e.delimited();
          key = decodeKey(buf, ka, kb, e);
        } else if (etag === 0x12) {
          const [va, vb] = e.delimited();
          feature = decodeFeature(e.sub(va, vb, `feature '${key}'`), va, vb);
        } else e.skip(etag & 7);
      }
      feature ??= { bytesList: [] }; // an entry without a value holds an empty Feature
      if (key === '__proto__') Object.defineProperty(out, key, { value: feature, enumerable: true, writable: true, configurable: true });
      else out[key] = feature;
    }
  }
  return out;
}
