import { decodeExample, encodeExample } from './example';
import { exampleType } from './example-protobufjs';
import { decodeFaceRecord, encodeFaceRecord, type FaceRecord } from './face-record';

const rec: FaceRecord = { jpeg: Uint8Array.from([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]), label: 1183, x1: 68, y1: 68, x2: 182, y2: 182 };

describe('face record', () => {
  it('round-trips', () => {
    const back = decodeFaceRecord(encodeFaceRecord(rec));
    expect({ ...back, jpeg: Array.from(back.jpeg) }).toEqual({ ...rec, jpeg: Array.from(rec.jpeg) });
  });

  it('is the Example the Python original writes: jpeg bytes and five int64 keys', () => {
    const ex = decodeExample(encodeFaceRecord(rec));
    expect(ex).toEqual({
      jpeg: { bytesList: [rec.jpeg] },
      label: { int64List: [1183n] },
      x1: { int64List: [68n] },
      x2: { int64List: [182n] },
      y1: { int64List: [68n] },
      y2: { int64List: [182n] },
    });
    // An independent decoder (protobufjs) reads the same keys and types.
    const Example = exampleType();
    const obj = Example.toObject(Example.decode(encodeFaceRecord(rec)), { longs: Number }) as {
      features: { feature: Record<string, { int64List?: { value: number[] }; bytesList?: { value: Uint8Array[] } }> };
    };
    expect(obj.features.feature.label.int64List?.value).toEqual([1183]);
    expect(Array.from(obj.features.feature.jpeg.bytesList?.value[0] ?? [])).toEqual(Array.from(rec.jpeg));
  });

  it('names the missing or mistyped key', () => {
    const base = decodeExample(encodeFaceRecord(rec));
    const without = (k: string) => encodeExample(Object.fromEntries(Object.entries(base).filter(([key]) => key !== k)));
    expect(() => decodeFaceRecord(without('y2'))).toThrow("face record: missing key 'y2'");
    expect(() => decodeFaceRecord(without('jpeg'))).toThrow("face record: missing key 'jpeg'");
    expect(() => decodeFaceRecord(encodeExample({ ...base, label: { floatList: [1] } }))).toThrow(
      "face record: key 'label': expected an int64_list with 1 value, got a float_list with 1 value(s)",
    );
    expect(() => decodeFaceRecord(encodeExample({ ...base, x1: { int64List: [1n, 2n] } }))).toThrow(/key 'x1': .*got an int64_list with 2/);
    expect(() => decodeFaceRecord(encodeExample({ ...base, jpeg: { bytesList: [] } }))).toThrow(/key 'jpeg'/);
    expect(() => decodeFaceRecord(encodeExample({ ...base, label: { int64List: [2n ** 60n] } }))).toThrow(/key 'label': .*does not fit/);
    expect(() => encodeFaceRecord({ ...rec, x2: 1.5 })).toThrow('face record: x2: expected an integer, got 1.5');
  });
});
