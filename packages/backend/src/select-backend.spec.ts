import * as os from 'os';
import * as tf from '@tensorflow/tfjs';
import { availableBackends, initBackend, wasmThreadsWanted } from './select-backend';

describe('initBackend', () => {
  it("'wasm' starts the threaded build with one thread per core and installs the kernels", async () => {
    const lines: string[] = [];
    const info = await initBackend('wasm', (l) => lines.push(l));
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.threads).toBe(Math.min(8, os.cpus().length));
    expect(info.installed).toEqual(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'UnsortedSegmentSum', 'FusedBatchNorm gradient']);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`wasm (@tensorflow/tfjs-backend-wasm; ${info.threads} thread`);
    expect(lines[0]).toContain('Conv2DBackpropFilter');
  });

  it('computes on the threaded backend (a convolution matches the cpu backend)', async () => {
    await initBackend('wasm', null);
    const x = tf.randomNormal([2, 9, 9, 4], 0, 1, 'float32', 7);
    const w = tf.randomNormal([3, 3, 4, 8], 0, 1, 'float32', 8);
    const onWasm = await tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same').data();
    await tf.setBackend('cpu');
    const onCpu = await tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same').data();
    Array.from(onWasm).forEach((v, i) => expect(Math.abs(v - onCpu[i])).toBeLessThan(1e-4));
  });

  it("'cpu' is honoured and gets the batch-norm gradient", async () => {
    const info = await initBackend('cpu', null);
    expect(info).toMatchObject({ name: 'cpu', provider: '@tensorflow/tfjs-backend-cpu', installed: ['FusedBatchNorm gradient'] });
  });

  it('lists candidates in order of preference', () => {
    expect(availableBackends()).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu']);
    expect(availableBackends('wasm')).toEqual(['@tensorflow/tfjs-backend-wasm']);
  });
});

describe('wasmThreadsWanted', () => {
  it('defaults to the core count and reads FFEM_WASM_THREADS', () => {
    expect(wasmThreadsWanted({})).toBe(Math.min(8, os.cpus().length));
    expect(wasmThreadsWanted({ FFEM_WASM_THREADS: '1' })).toBe(1);
    expect(() => wasmThreadsWanted({ FFEM_WASM_THREADS: 'two' })).toThrow(/FFEM_WASM_THREADS: 'two'/);
    expect(() => wasmThreadsWanted({ FFEM_WASM_THREADS: '0' })).toThrow(/1\.\.8/);
  });
});
