import { sharedData } from '@ffem/testing';
import { decodeExample, encodeExample, type Feature } from './example';
import { exampleType, int64Bits } from './example-protobufjs';
import { readTFRecords } from './reader';

const INT64_EDGE = [0n, 1n, -1n, 127n, 128n, 2n ** 31n, -(2n ** 31n), 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n)];

/** protobufjs message object for the same features, in the same key order. */
function toProtobufjs(features: Record<string, Feature>): unknown {
  const feature: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(features)) {
    if ('bytesList' in f) feature[k] = { bytesList: { value: f.bytesList } };
    else if ('floatList' in f) feature[k] = { floatList: { value: f.floatList } };
    else feature[k] = { int64List: { value: f.int64List.map(int64Bits) } };
  }
  return { features: { feature } };
}

describe('encodeExample / decodeExample', () => {
  const sample: Record<string, Feature> = {
    b_bytes: { bytesList: [Buffer.from('hello'), new Uint8Array(0), Uint8Array.from([0, 255, 128])] },
    c_float: { floatList: [0, -0, 0.5, -2.25, Math.fround(0.1), Infinity, -Infinity, 3.4028234663852886e38] },
    d_int: { int64List: INT64_EDGE },
    e_empty_int: { int64List: [] },
    a_empty_float: { floatList: [] },
  };

  it('round-trips every kind, empty lists and the full int64 range', () => {
    const back = decodeExample(encodeExample(sample));
    expect(Object.keys(back)).toEqual(['a_empty_float', 'b_bytes', 'c_float', 'd_int', 'e_empty_int']);
    expect(back.d_int).toEqual({ int64List: INT64_EDGE });
    expect(back.c_float).toEqual(sample.c_float);
    expect(Object.is((back.c_float as { floatList: number[] }).floatList[1], -0)).toBe(true);
    expect((back.b_bytes as { bytesList: Uint8Array[] }).bytesList.map((b) => Buffer.from(b).toString('hex'))).toEqual([
      '68656c6c6f',
      '',
      '00ff80',
    ]);
    expect(back.e_empty_int).toEqual({ int64List: [] });
    const nan = decodeExample(encodeExample({ x: { floatList: [NaN] } })).x as { floatList: number[] };
    expect(Number.isNaN(nan.floatList[0])).toBe(true);
  });

  it('writes the same bytes as protobufjs (sorted keys, packed numerics)', () => {
    const sorted = Object.fromEntries(Object.entries(sample).sort(([a], [b]) => (a < b ? -1 : 1)));
    const Example = exampleType();
    const ref = Example.encode(Example.fromObject(toProtobufjs(sorted) as Record<string, unknown>)).finish();
    expect(Buffer.from(encodeExample(sample)).toString('hex')).toBe(Buffer.from(ref).toString('hex'));
  });

  it('encodes a tiny example to the bytes worked out by hand', () => {
    // Example{features{feature{key:"a" value{int64_list{value:[1,-1]}}}}}: -1 is a 10-byte varint.
    const hex = '0a16' + '0a14' + '0a0161' + '120f' + '1a0d' + '0a0b' + '01' + 'ffffffffffffffffff01';
    expect(Buffer.from(encodeExample({ a: { int64List: [1n, -1n] } })).toString('hex')).toBe(hex);
    expect(decodeExample(Buffer.from(hex, 'hex'))).toEqual({ a: { int64List: [1n, -1n] } });
    expect(Buffer.from(encodeExample({})).toString('hex')).toBe('0a00');
  });

  it('decodes unpacked numeric lists (as written by protobufjs with packed=false)', () => {
    const Example = exampleType({ packed: false });
    const f = { i: { int64List: INT64_EDGE }, f: { floatList: [1.5, -0.25] } };
    const bytes = Example.encode(Example.fromObject(toProtobufjs(f) as Record<string, unknown>)).finish();
    expect(Buffer.from(bytes).includes(Buffer.from('08ffffffffffffffffff01', 'hex'))).toBe(true); // an unpacked -1
    expect(decodeExample(bytes)).toEqual(f);
  });

  it('reproduces every record of the TensorFlow-written fixtures byte for byte (insertion order)', async () => {
    for (const name of ['cifar10_test.tfrecord', 'flowers.tfrecord', 'penguin_eval.tfrecord.gz']) {
      let n = 0;
      for await (const r of readTFRecords(sharedData('tfrecord-fixtures', name))) {
        const again = encodeExample(decodeExample(r.data), { sortKeys: false });
        expect(Buffer.compare(Buffer.from(again), r.data)).toBe(0);
        n++;
      }
      expect(n).toBeGreaterThan(0);
    }
  });

  it('agrees with protobufjs on the decoded values of a fixture', async () => {
    const Example = exampleType();
    for await (const r of readTFRecords(sharedData('tfrecord-fixtures', 'penguin_eval.tfrecord.gz'))) {
      const ours = decodeExample(r.data);
      const theirs = Example.toObject(Example.decode(r.data), { longs: String }) as {
        features: { feature: Record<string, { floatList?: { value: number[] }; int64List?: { value: string[] } }> };
      };
      for (const [k, f] of Object.entries(theirs.features.feature)) {
        if (f.floatList) expect(ours[k]).toEqual({ floatList: f.floatList.value });
        else expect(ours[k]).toEqual({ int64List: f.int64List!.value.map(BigInt) });
      }
    }
  });

  it('skips unknown fields and keeps the last value of a repeated key', () => {
    const Example = exampleType();
    const a = Example.encode(Example.fromObject(toProtobufjs({ k: { int64List: [1n] } }) as Record<string, unknown>)).finish();
    const b = encodeExample({ k: { floatList: [2] } });
    // unknown field 7 (varint 5) and 9 (fixed32) around the Example, then a second Example.features entry
    const bytes = Buffer.concat([Buffer.from('3805', 'hex'), a, Buffer.from('4d01020304', 'hex'), b]);
    expect(decodeExample(bytes)).toEqual({ k: { floatList: [2] } });
  });

  it('rejects bad input with a message', () => {
    expect(() => encodeExample({ big: { int64List: [2n ** 63n] } })).toThrow(/feature 'big': .* outside the int64 range/);
    expect(() => encodeExample({ n: { int64List: [1 as unknown as bigint] } })).toThrow(/feature 'n': int64List values must be bigint/);
    expect(() => encodeExample({ two: { int64List: [], floatList: [] } as unknown as Feature })).toThrow(/feature 'two': expected exactly one/);
    const good = Buffer.from(encodeExample({ key: { bytesList: [Buffer.alloc(50)] } }));
    expect(() => decodeExample(good.subarray(0, 30))).toThrow(/Example: .*runs past the end/);
    expect(() => decodeExample(Buffer.from('0a02ff', 'hex'))).toThrow(/Example/);
  });
});
