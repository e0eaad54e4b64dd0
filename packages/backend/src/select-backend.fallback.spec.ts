import * as tf from '@tensorflow/tfjs';
import { initBackend } from './select-backend';

// Only the forcing of tfjs' thread flag, none of the Node workarounds: the threaded start then
// fails as it does in stock tfjs (ERR_WORKER_PATH on the blob: worker URL).
jest.mock('./wasm/threads', () => ({
  ...jest.requireActual('./wasm/threads'),
  prepareWasmThreads: () => {
    jest.requireActual('@tensorflow/tfjs').env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    return () => undefined;
  },
}));

describe('initBackend wasm fallback (a fresh tfjs in this spec file)', () => {
  it('runs single-threaded with the kernels when the threaded build cannot start, and says why', async () => {
    process.env.FFEM_WASM_THREADS = '2';
    try {
      const info = await initBackend('wasm', null);
      expect(info.name).toBe('wasm');
      expect(info.threads).toBe(1);
      expect(info.skipped).toHaveLength(1);
      expect(info.skipped[0]).toMatch(/^wasm with 2 threads: /);
      expect(info.installed).toContain('Conv2DBackpropFilter');
      const y = tf.conv2d(tf.ones([1, 3, 3, 1]) as tf.Tensor4D, tf.ones([3, 3, 1, 1]) as tf.Tensor4D, 1, 'same');
      expect(Array.from(await y.data())).toEqual([4, 6, 4, 6, 9, 6, 4, 6, 4]);
    } finally {
      delete process.env.FFEM_WASM_THREADS;
    }
  });
});
