/**
 * `tf.train.Example` described for protobufjs: the independent reference the hand codec in
 * `example.ts` is tested and benchmarked against. Not used on any hot path.
 */
import * as protobuf from 'protobufjs';

export function exampleRoot(opts: { packed?: boolean } = {}): protobuf.Root {
  const packed = opts.packed ?? true;
  const json: unknown = {
    nested: {
      tensorflow: {
        nested: {
          BytesList: { fields: { value: { rule: 'repeated', type: 'bytes', id: 1 } } },
          FloatList: { fields: { value: { rule: 'repeated', type: 'float', id: 1, options: { packed } } } },
          Int64List: { fields: { value: { rule: 'repeated', type: 'int64', id: 1, options: { packed } } } },
          Feature: {
            oneofs: { kind: { oneof: ['bytesList', 'floatList', 'int64List'] } },
            fields: {
              bytesList: { type: 'BytesList', id: 1 },
              floatList: { type: 'FloatList', id: 2 },
              int64List: { type: 'Int64List', id: 3 },
            },
          },
          Features: { fields: { feature: { keyType: 'string', type: 'Feature', id: 1 } } },
          Example: { fields: { features: { type: 'Features', id: 1 } } },
        },
      },
    },
  };
  return protobuf.Root.fromJSON(json as protobuf.INamespace);
}

/** The protobufjs `tensorflow.Example` type (numeric lists packed unless `packed: false`). */
export function exampleType(opts: { packed?: boolean } = {}): protobuf.Type {
  return exampleRoot(opts).lookupType('tensorflow.Example');
}

/** A signed int64 as protobufjs's {low, high} form (exact for the full range). */
export function int64Bits(v: bigint): { low: number; high: number; unsigned: boolean } {
  const u = BigInt.asUintN(64, v);
  return { low: Number(u & 0xffffffffn) | 0, high: Number(u >> 32n) | 0, unsigned: false };
}
