import * as os from 'os';
import * as tf from '@tensorflow/tfjs';
import { batchNormTraining } from './gradients/batch-norm-training';
import { availableBackends, initBackend, wasmThreadsWanted } from './select-backend';

describe('initBackend', () => {
  // The default with onnxruntime is one wasm thread (see wasmThreadsWanted); this suite asks for
  // the threaded build, whose shared heap onnxruntime reads and writes through scratch copies.
  const threads = Math.max(2, Math.min(8, os.cpus().length));
  beforeAll(() => {
    process.env.FFEM_WASM_THREADS = String(threads);
  });
  afterAll(() => {
    delete process.env.FFEM_WASM_THREADS;
  });

  it("'wasm' starts the threaded build when asked, and installs the kernels", async () => {
    const lines: string[] = [];
    const info = await initBackend('wasm', (l) => lines.push(l));
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.threads).toBe(threads);
    expect(info.installed).toEqual([
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'UnsortedSegmentSum',
      'Sum',
      'Mean',
      'Conv2D',
      'FusedConv2D',
      'Identity',
      'Cast',
      'BatchMatMul',
      'FfemMovingAverage',
      'FfemBatchNormTraining',
      'FfemBatchNormTrainingGrad',
      'FfemReluGrad',
      'MaxPoolGrad',
      'Relu',
      'Add',
      'FusedBatchNorm gradient',
      'Relu gradient',
      'BatchNormalization training gradient',
      'Momentum update in one native pass',
      'Adam update in one native pass',
      'GEMM and convolutions on onnxruntime (MLAS)',
      expect.stringMatching(/^native training kernels \(\d+ threads?\)$|^no native training kernels \(.+\)$/),
    ]);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`wasm (@tensorflow/tfjs-backend-wasm; ${info.threads} thread`);
    expect(lines[0]).toContain('Conv2DBackpropFilter');
  });

  it('computes on the threaded backend (convolutions, a batch-norm sum, the native ReLU gradient and batch norm match the cpu backend)', async () => {
    await initBackend('wasm', null);
    const x = tf.randomNormal([2, 9, 9, 4], 0, 1, 'float32', 7);
    const w = tf.randomNormal([3, 3, 4, 8], 0, 1, 'float32', 8);
    const w1 = tf.randomNormal([1, 1, 4, 8], 0, 1, 'float32', 9);
    const compute = () => [
      tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
      tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 1, 'same'),
      tf.sum(x, [0, 1, 2]),
      tf.grad((a) => tf.sum(tf.mul(tf.relu(a), w1.reshape([1, 1, 4, 8]).sum(3))))(x),
      batchNormTraining(x, tf.ones([4]) as tf.Tensor1D, tf.zeros([4]) as tf.Tensor1D, 1e-3).y,
    ];
    const onWasm = await Promise.all(compute().map((t) => t.data()));
    expect((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer).toBeInstanceOf(SharedArrayBuffer);
    await tf.setBackend('cpu');
    const onCpu = await Promise.all(compute().map((t) => t.data()));
    onWasm.forEach((values, k) => Array.from(values).forEach((v, i) => expect(Math.abs(v - onCpu[k][i])).toBeLessThan(1e-4)));
  });

  it("'cpu' is honoured and gets the batch-norm gradient", async () => {
    const info = await initBackend('cpu', null);
    expect(info).toMatchObject({ name: 'cpu', provider: '@tensorflow/tfjs-backend-cpu', installed: ['FusedBatchNorm gradient', 'Relu gradient', 'BatchNormalization training gradient'] });
  });

  it('lists candidates in order of preference', () => {
    expect(availableBackends()).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu']);
    expect(availableBackends('wasm')).toEqual(['@tensorflow/tfjs-backend-wasm']);
  });
});

describe('wasmThreadsWanted', () => {
  it('defaults to the core count and reads FFEM_WASM_THREADS', () => {
    expect(wasmThreadsWanted({}, 'xnnpack')).toBe(Math.min(8, os.cpus().length));
    expect(wasmThreadsWanted({}, 'onnxruntime')).toBe(1);
    expect(wasmThreadsWanted({ FFEM_WASM_THREADS: '2' }, 'onnxruntime')).toBe(2);
    expect(wasmThreadsWanted({ FFEM_WASM_THREADS: '1' })).toBe(1);
    expect(() => wasmThreadsWanted({ FFEM_WASM_THREADS: 'two' })).toThrow(/FFEM_WASM_THREADS: 'two'/);
    expect(() => wasmThreadsWanted({ FFEM_WASM_THREADS: '0' })).toThrow(/1\.\.8/);
  });
});
