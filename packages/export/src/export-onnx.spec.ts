import * as tf from '@tensorflow/tfjs';
import { decodeModel } from './onnx-graph';
import { exportToOnnx } from './export-onnx';
import { EXPORTER_VERSION } from './metadata';
import { Unconvertible, expectParity, metadataOf, modelOf, opTypes, randomInput, runOnnx } from './spec-helpers';

type T = tf.SymbolicTensor;

const small = (): tf.LayersModel =>
  modelOf([6, 6, 3], (x) => tf.layers.globalAveragePooling2d({}).apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(x)) as T, 'small_net');

describe('exportToOnnx', () => {
  it('names the layer and class without a converter', () => {
    const m = modelOf([4], (x) => new Unconvertible({ name: 'odd_one' }).apply(tf.layers.dense({ units: 3 }).apply(x)) as T);
    expect(() => exportToOnnx(m)).toThrow(/layer 'odd_one' \(class UnconvertibleTestLayer\) has no ONNX converter/);
  });

  it('writes input "input" NHWC with a dynamic batch and output "embedding"; runs batch 1 and 3', async () => {
    const m = small();
    const bytes = exportToOnnx(m);
    const g = decodeModel(bytes).graph!;
    expect(g.input!.map((i) => i.name)).toEqual(['input']);
    expect(g.output!.map((o) => o.name)).toEqual(['embedding']);
    const dims = g.input![0].type!.tensorType!.shape!.dim!;
    expect(dims[0].dimParam).toBe('batch');
    expect(dims.slice(1).map((d) => Number(d.dimValue))).toEqual([6, 6, 3]);
    expect(g.output![0].type!.tensorType!.shape!.dim![0].dimParam).toBe('batch');
    await expectParity(m, randomInput([1, 6, 6, 3]));
    await expectParity(m, randomInput([3, 6, 6, 3]));
  });

  it('transposes NHWC to NCHW once at the input (nothing when nchw)', () => {
    const m = modelOf([6, 6, 3], (x) => {
      const a = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(x) as T;
      const b = tf.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(x) as T;
      return tf.layers.globalAveragePooling2d({}).apply(tf.layers.add({}).apply([a, b])) as T;
    });
    const count = (bytes: Uint8Array): number => opTypes(bytes).filter((o) => o === 'Transpose').length;
    expect(count(exportToOnnx(m))).toBe(1);
    expect(count(exportToOnnx(m, { nchw: true }))).toBe(0);
    const dims = decodeModel(exportToOnnx(m, { nchw: true })).graph!.input![0].type!.tensorType!.shape!.dim!;
    expect(dims.slice(1).map((d) => Number(d.dimValue))).toEqual([3, 6, 6]);
  });

  it('writes the metadata properties (defaults, overridable)', async () => {
    const bytes = exportToOnnx(small(), { metadata: { config_hash: 'sha256:abc', normalization: 'x*2-1 inside' } });
    const props = metadataOf(bytes);
    expect(props).toMatchObject({
      model_name: 'small_net',
      embedding_size: '4',
      input_size: '6x6',
      input_channels: '3',
      input_layout: 'NHWC',
      normalization: 'x*2-1 inside',
      config_hash: 'sha256:abc',
      exporter_version: EXPORTER_VERSION,
      opset: '17',
      quantize: 'none',
    });
    expect(Number(decodeModel(bytes).opsetImport[0].version)).toBe(17);
  });

  it('exports a model nested in another model and a layer called twice', async () => {
    const inner = modelOf([4, 4, 3], (x) => tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x) as T, 'inner');
    const shared = tf.layers.conv2d({ filters: 3, kernelSize: 1, name: 'shared' });
    const outer = modelOf([4, 4, 3], (x) => {
      const y = shared.apply(inner.apply(x) as T) as T;
      return tf.layers.flatten({}).apply(shared.apply(y)) as T;
    }, 'outer');
    await expectParity(outer, randomInput([2, 4, 4, 3]));
  });

  it('exports a Sequential model; opset 13 also runs; other opsets are refused', async () => {
    const s = tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 4, activation: 'relu' }), tf.layers.dense({ units: 2 })] });
    await expectParity(s, randomInput([3, 5]), { opset: 13 });
    expect(() => exportToOnnx(s, { opset: 12 })).toThrow(/opset 12/);
  });

  it('a model whose output is its input gets an Identity', async () => {
    const m = modelOf([3], (x) => tf.layers.dropout({ rate: 0.1 }).apply(x) as T);
    const out = await runOnnx(exportToOnnx(m), tf.tensor2d([[1, 2, 3]]));
    expect(Array.from(out.embedding.data)).toEqual([1, 2, 3]);
  });
});
