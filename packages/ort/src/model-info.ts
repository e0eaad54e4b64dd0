/**
 * Reads an ONNX model's top-level description (producer, opsets, metadata_props) straight from the
 * protobuf wire format, without decoding the graph: cheap even for a 100 MB ResNet. onnxruntime-node
 * does not expose metadata_props, so this is how the session learns them.
 */

/** What an ONNX ModelProto says about itself (every field but the graph). */
export interface ModelInfo {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  /** opset_import: operator-set domain ('' = ai.onnx) and version. */
  opsets: { domain: string; version: number }[];
  /** metadata_props as key -> value (a repeated key keeps its last value, as onnx.helper does). */
  metadata: Record<string, string>;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
    readonly what: string,
  ) {
    this.pos = start;
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new Error(`${this.what}: offset ${this.pos}: truncated varint`);
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    throw new Error(`${this.what}: offset ${this.pos}: varint longer than 10 bytes`);
  }

  /** Skips or returns a field's payload according to its wire type. */
  bytes(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.end) {
      throw new Error(`${this.what}: offset ${this.pos}: field of ${len} bytes runs past the end (${this.end})`);
    }
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        return;
      case 2:
        this.bytes();
        return;
      case 5:
        this.pos += 4;
        return;
      default:
        throw new Error(`${this.what}: offset ${this.pos}: unsupported wire type ${wireType}`);
    }
  }
}

function fields(r: Reader, visit: (field: number, wireType: number) => void): void {
  while (r.pos < r.end) {
    const key = r.varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    const before = r.pos;
    visit(field, wire);
    if (r.pos === before) r.skip(wire);
  }
  if (r.pos !== r.end) throw new Error(`${r.what}: offset ${r.pos}: message overruns its end ${r.end}`);
}

function stringEntry(buf: Uint8Array, what: string): { key: string; value: string } {
  const r = new Reader(buf, 0, buf.length, what);
  let key = '';
  let value = '';
  fields(r, (field, wire) => {
    if (wire !== 2) return;
    if (field === 1) key = utf8.decode(r.bytes());
    else if (field === 2) value = utf8.decode(r.bytes());
  });
  return { key, value };
}

function opset(buf: Uint8Array, what: string): { domain: string; version: number } {
  const r = new Reader(buf, 0, buf.length, what);
  let domain = '';
  let version = 0;
  fields(r, (field, wire) => {
    if (field === 1 && wire === 2) domain = utf8.decode(r.bytes());
    else if (field === 2 && wire === 0) version = r.varint();
  });
  return { domain, version };
}

/**
 * Parses the ModelProto fields other than `graph` (field 7, skipped by length).
 * Throws `<source>: offset N: ...` on a malformed file.
 */
export function readModelInfo(bytes: Uint8Array, source = 'model'): ModelInfo {
  const info: ModelInfo = {
    irVersion: 0,
    producerName: '',
    producerVersion: '',
    domain: '',
    modelVersion: 0,
    docString: '',
    opsets: [],
    metadata: {},
  };
  let sawGraph = false;
  const r = new Reader(bytes, 0, bytes.length, source);
  fields(r, (field, wire) => {
    if (wire === 0) {
      if (field === 1) info.irVersion = r.varint();
      else if (field === 5) info.modelVersion = r.varint();
      return;
    }
    if (wire !== 2) return;
    switch (field) {
      case 2:
        info.producerName = utf8.decode(r.bytes());
        return;
      case 3:
        info.producerVersion = utf8.decode(r.bytes());
        return;
      case 4:
        info.domain = utf8.decode(r.bytes());
        return;
      case 6:
        info.docString = utf8.decode(r.bytes());
        return;
      case 7:
        r.bytes();
        sawGraph = true;
        return;
      case 8:
        info.opsets.push(opset(r.bytes(), `${source}: opset_import`));
        return;
      case 14: {
        const { key, value } = stringEntry(r.bytes(), `${source}: metadata_props`);
        info.metadata[key] = value;
        return;
      }
    }
  });
  if (!sawGraph) throw new Error(`${source}: not an ONNX model (no graph field)`);
  return info;
}
