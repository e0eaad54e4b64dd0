/**
 * A minimal ONNX graph writer (onnx-proto): enough for the similarity-search graph this package
 * runs through onnxruntime, and for small test models. Models from training come from
 * `@ffem/export`, not from here.
 */
import { onnx } from 'onnx-proto';

export type Dim = number | string;

export interface GraphValue {
  name: string;
  /** 'float32' | 'int64' | 'int32' */
  type: 'float32' | 'int64' | 'int32';
  shape: Dim[];
}

export interface GraphNode {
  op: string;
  inputs: string[];
  outputs: string[];
  /** Attributes: numbers with a fractional part or `{f: x}` are floats, integers are ints, arrays of integers are ints. */
  attrs?: Record<string, number | number[] | string | { f: number }>;
}

export interface Initializer {
  name: string;
  type: 'float32' | 'int64';
  dims: number[];
  values: ArrayLike<number>;
}

export interface GraphSpec {
  inputs: GraphValue[];
  outputs: GraphValue[];
  nodes: GraphNode[];
  initializers?: Initializer[];
  opset?: number;
  metadata?: Record<string, string>;
  producer?: string;
}

const elemType = { float32: onnx.TensorProto.DataType.FLOAT, int64: onnx.TensorProto.DataType.INT64, int32: onnx.TensorProto.DataType.INT32 };

function valueInfo(v: GraphValue): onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: elemType[v.type],
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, v: number | number[] | string | { f: number }): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if (typeof v === 'object') return { name, type: T.FLOAT, f: v.f };
  return Number.isInteger(v) ? { name, type: T.INT, i: v } : { name, type: T.FLOAT, f: v };
}

function tensor(t: Initializer): onnx.ITensorProto {
  const raw =
    t.type === 'float32'
      ? new Uint8Array(Float32Array.from(t.values).buffer)
      : new Uint8Array(BigInt64Array.from(Array.from(t.values, (x) => BigInt(x))).buffer);
  return { name: t.name, dims: t.dims, dataType: elemType[t.type], rawData: raw };
}

/** Serialises a graph to ONNX ModelProto bytes (IR 8, opset 13 unless given). */
export function buildOnnxModel(spec: GraphSpec): Uint8Array {
  const model: onnx.IModelProto = {
    irVersion: 8,
    producerName: spec.producer ?? '@ffem/evaluate',
    opsetImport: [{ domain: '', version: spec.opset ?? 13 }],
    graph: {
      name: 'graph',
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
      initializer: (spec.initializers ?? []).map(tensor),
      node: spec.nodes.map((n, i) => ({
        name: `${n.op}_${i}`,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      })),
    },
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  return onnx.ModelProto.encode(model).finish();
}
