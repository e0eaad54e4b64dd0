import { readModelInfo } from './model-info';
import { affineModel } from './test-model';

describe('readModelInfo', () => {
  it('reads producer, opsets and metadata_props without the graph', () => {
    const info = readModelInfo(affineModel());
    expect(info).toMatchObject({ irVersion: 8, producerName: 'ort-spec', producerVersion: '1.2', opsets: [{ domain: '', version: 13 }] });
    expect(info.metadata).toEqual({ input_size: '112x112', model_name: 'affine' });
  });
  it('names the source and offset of a truncated file', () => {
    const bytes = affineModel();
    expect(() => readModelInfo(bytes.subarray(0, bytes.length - 5), 'cut.onnx')).toThrow(/^cut\.onnx: offset \d+: /);
  });
  it('refuses bytes that hold no graph', () => {
    expect(() => readModelInfo(Uint8Array.of(8, 7), 'x.onnx')).toThrow(/x\.onnx: not an ONNX model/);
  });
});
