import { onnx } from 'onnx-proto';

/** An attribute value: numbers are INT unless listed in `floats`, arrays are INTS/FLOATS. */
export type AttrValue = number | number[] | string | { float: number } | { floats: number[] };

export type InitData = Float32Array | Int8Array | BigInt64Array;

export interface OnnxNode {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

export interface Initializer {
  name: string;
  dims: number[];
  data: InitData;
}

/** A float attribute (numbers default to INT). */
export const f = (x: number): { float: number } => ({ float: x });
/** A list-of-floats attribute. */
export const fs = (xs: number[]): { floats: number[] } => ({ floats: xs });

/**
 * A mutable ONNX graph under construction: nodes in topological order, initializers, unique
 * names. Kept free of protobuf types so that passes (BN folding, quantization) work on plain data.
 */
export class OnnxGraph {
  readonly nodes: OnnxNode[] = [];
  readonly initializers = new Map<string, Initializer>();
  private readonly used = new Set<string>();

  /** A name not yet used in this graph, derived from `base`. */
  uniqueName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_') || 'v';
    let name = clean;
    for (let i = 1; this.used.has(name); i++) name = `${clean}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Reserves an exact name (graph input/output); throws if taken. */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`onnx graph: name '${name}' already used`);
    this.used.add(name);
    return name;
  }

  /** Adds a node with fresh output names derived from `base`; returns the output names. */
  add(opType: string, inputs: string[], base: string, attrs: Record<string, AttrValue> = {}, nOutputs = 1): string[] {
    const outputs = Array.from({ length: nOutputs }, (_, i) => this.uniqueName(nOutputs === 1 ? base : `${base}:${i}`));
    this.nodes.push({ opType, name: this.uniqueName(`${base}/${opType}`), inputs, outputs, attrs });
    return outputs;
  }

  /** `add` for the common single-output case. */
  add1(opType: string, inputs: string[], base: string, attrs: Record<string, AttrValue> = {}): string {
    return this.add(opType, inputs, base, attrs, 1)[0];
  }

  /** Adds a constant tensor; returns its (unique) name. */
  constant(base: string, data: InitData, dims: number[]): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length) throw new Error(`onnx graph: initializer '${base}': ${data.length} values for dims [${dims}]`);
    const name = this.uniqueName(base);
    this.initializers.set(name, { name, dims: [...dims], data });
    return name;
  }

  /** An int64 constant (shapes, axes, pads). */
  int64(base: string, values: number[]): string {
    return this.constant(base, BigInt64Array.from(values.map((v) => BigInt(v))), [values.length]);
  }

  /** The nodes reading `name`. */
  consumers(name: string): OnnxNode[] {
    return this.nodes.filter((n) => n.inputs.includes(name));
  }

  /** The node writing `name`, if any. */
  producer(name: string): OnnxNode | undefined {
    return this.nodes.find((n) => n.outputs.includes(name));
  }

  /** Renames a value everywhere (node inputs and outputs). */
  rename(from: string, to: string): void {
    for (const n of this.nodes) {
      n.inputs = n.inputs.map((x) => (x === from ? to : x));
      n.outputs = n.outputs.map((x) => (x === from ? to : x));
    }
  }

  /** Drops nodes none of whose outputs is read or in `keep` (repeatedly), then unread initializers. */
  pruneDeadNodes(keep: ReadonlySet<string>): void {
    for (let changed = true; changed; ) {
      const read = new Set(this.nodes.flatMap((n) => n.inputs));
      const before = this.nodes.length;
      const live = this.nodes.filter((n) => n.outputs.some((o) => read.has(o) || keep.has(o)));
      this.nodes.splice(0, this.nodes.length, ...live);
      changed = live.length !== before;
    }
    this.pruneInitializers();
  }

  /** Drops initializers that no node reads. */
  pruneInitializers(): void {
    const read = new Set(this.nodes.flatMap((n) => n.inputs));
    for (const name of [...this.initializers.keys()]) if (!read.has(name)) this.initializers.delete(name);
  }
}

const DT = onnx.TensorProto.DataType;

export function dataTypeOf(data: InitData): number {
  if (data instanceof Float32Array) return DT.FLOAT;
  if (data instanceof Int8Array) return DT.INT8;
  return DT.INT64;
}

function rawBytes(data: InitData): Uint8Array {
  // Little-endian on every platform Node runs on; copy so the bytes do not alias a larger buffer.
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

function attribute(name: string, v: AttrValue): onnx.IAttributeProto {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`onnx attribute '${name}': ${v} is not an integer (use f())`);
    return { name, type: A.INT, i: v };
  }
  if (typeof v === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: A.INTS, ints: v };
  if ('float' in v) return { name, type: A.FLOAT, f: v.float };
  return { name, type: A.FLOATS, floats: v.floats };
}

/** A tensor type with a symbolic ('batch') or fixed dims. */
export interface ValueSpec {
  name: string;
  dims: (number | string)[];
}

function valueInfo(v: ValueSpec): onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: DT.FLOAT,
        shape: { dim: v.dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

export interface ModelSpec {
  graphName: string;
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  opset: number;
  metadata: Record<string, string>;
  producerVersion: string;
  docString?: string;
}

/** Serializes the graph as an ONNX ModelProto (IR version 8). */
export function encodeModel(g: OnnxGraph, spec: ModelSpec): Uint8Array {
  const model: onnx.IModelProto = {
    irVersion: 8,
    producerName: 'ffem-ts export',
    producerVersion: spec.producerVersion,
    docString: spec.docString ?? '',
    opsetImport: [{ domain: '', version: spec.opset }],
    metadataProps: Object.entries(spec.metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: spec.graphName,
      node: g.nodes.map((n) => ({
        name: n.name,
        opType: n.opType,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs).map(([k, v]) => attribute(k, v)),
      })),
      initializer: [...g.initializers.values()].map((t) => ({
        name: t.name,
        dims: t.dims,
        dataType: dataTypeOf(t.data),
        rawData: rawBytes(t.data),
      })),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/** Decodes an ONNX file (for tests, verification and tooling). */
export function decodeModel(bytes: Uint8Array): onnx.ModelProto {
  return onnx.ModelProto.decode(bytes);
}
