import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { decodeModel } from '@ffem/export';
import { saveModel } from '@ffem/models';
import { runCli } from '../test-cli';

// Runs without onnxruntime (no --verify / --quantize): those paths are tested in @ffem/export.
describe('ffem export', () => {
  let dir: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-cli-export-'));
    const input = tf.input({ shape: [6, 6, 3] });
    let y = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).apply(input) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization({}).apply(y) as tf.SymbolicTensor;
    y = tf.layers.globalAveragePooling2d({}).apply(y) as tf.SymbolicTensor;
    await saveModel(tf.model({ inputs: input, outputs: y, name: 'cli_net' }), path.join(dir, 'model'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the ONNX file with the flags reflected in its metadata and reports it', async () => {
    const out = path.join(dir, 'm.onnx');
    const r = await runCli(['export', '--model', path.join(dir, 'model'), '--output', out, '--nchw', '--fold-bn', '--opset', '13', '--backend', 'cpu']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^wrote ${out}: \\d+ bytes, \\d+ nodes, input NCHW 6x6, embedding 4\\nfold-bn: 1 batch norms folded\\n$`));
    const m = decodeModel(fs.readFileSync(out));
    const props = Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]));
    expect(props).toMatchObject({ model_name: 'cli_net', input_layout: 'NCHW', fold_bn: 'true (1 folded)', opset: '13' });
    expect(fs.readdirSync(dir).sort()).toEqual(['m.onnx', 'model']);
  });

  it('exits 1 with one line naming the problem', async () => {
    const missing = await runCli(['export', '--model', path.join(dir, 'nope'), '--output', path.join(dir, 'x.onnx'), '--backend', 'cpu']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ffem: error: .*nope.*model\.json: no such file/);
    const badQuant = await runCli(['export', '--model', path.join(dir, 'model'), '--output', path.join(dir, 'y.onnx'), '--quantize', 'int4']);
    expect(badQuant.code).toBe(1);
    expect(badQuant.stderr).toMatch(/--quantize must be 'int8', got 'int4'/);
    expect(fs.existsSync(path.join(dir, 'x.onnx')) || fs.existsSync(path.join(dir, 'y.onnx'))).toBe(false);
  });
});
