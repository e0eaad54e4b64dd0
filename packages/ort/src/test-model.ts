/** A small ONNX model for this package's specs, written with onnx-proto. */
import { onnx } from 'onnx-proto';

/** y = x * 2 + 1 on [N, 3], with metadata_props and a named producer. */
export function affineModel(): Uint8Array {
  const f = onnx.TensorProto.DataType.FLOAT;
  const scalar = (name: string, v: number): onnx.ITensorProto => ({ name, dims: [], dataType: f, floatData: [v] });
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'ort-spec',
    producerVersion: '1.2',
    opsetImport: [{ domain: '', version: 13 }],
    metadataProps: [
      { key: 'input_size', value: '112x112' },
      { key: 'model_name', value: 'affine' },
    ],
    graph: {
      name: 'g',
      input: [{ name: 'x', type: { tensorType: { elemType: f, shape: { dim: [{ dimParam: 'N' }, { dimValue: 3 }] } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: f, shape: { dim: [{ dimParam: 'N' }, { dimValue: 3 }] } } } }],
      initializer: [scalar('two', 2), scalar('one', 1)],
      node: [
        { opType: 'Mul', input: ['x', 'two'], output: ['t'] },
        { opType: 'Add', input: ['t', 'one'], output: ['y'] },
      ],
    },
  }).finish();
}
