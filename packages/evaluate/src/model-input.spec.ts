import { modelInput } from './model-input';

const session = (shape: (number | string)[], metadata: Record<string, string> = {}, outputs = ['embedding']) => ({
  inputs: [{ name: 'input', type: 'float32', shape }],
  outputNames: outputs,
  metadata,
});

describe('modelInput', () => {
  it('reads H and W from an NHWC shape', () => {
    expect(modelInput(session(['N', 96, 80, 3]))).toEqual({ inputName: 'input', outputName: 'embedding', height: 96, width: 80, layout: 'NHWC' });
  });
  it('recognises NCHW', () => {
    expect(modelInput(session(['N', 3, 64, 48]))).toMatchObject({ height: 64, width: 48, layout: 'NCHW' });
  });
  it("falls back to the exporter's input_size metadata, then to 112 x 112", () => {
    expect(modelInput(session(['N', 'h', 'w', 3], { input_size: '128x120' }))).toMatchObject({ height: 128, width: 120 });
    expect(modelInput(session([]))).toMatchObject({ height: 112, width: 112, layout: 'NHWC' });
  });
  it('takes the first output when none is named embedding', () => {
    expect(modelInput(session(['N', 8, 8, 3], {}, ['out0', 'out1'])).outputName).toBe('out0');
  });
  it('refuses contradicting metadata and a wrong rank, naming the model', () => {
    expect(() => modelInput(session(['N', 96, 96, 3], { input_size: '112x112' }), 'm.onnx')).toThrow(/m\.onnx: metadata input_size 112x112 contradicts/);
    expect(() => modelInput(session(['N', 96]), 'm.onnx')).toThrow(/m\.onnx: input 'input' has shape \[N, 96\]/);
  });
});
