import { expectClose } from '@ffem/testing';
import { openSession, supportedProviders } from './session';
import { affineModel } from './test-model';

describe('openSession', () => {
  it('runs on CPU and exposes inputs, outputs and metadata', async () => {
    const s = await openSession(affineModel(), { provider: 'cpu', intraOpThreads: 1 });
    try {
      expect(s.provider).toBe('cpu');
      expect(s.inputs).toEqual([{ name: 'x', type: 'float32', shape: ['N', 3] }]);
      expect(s.metadata.model_name).toBe('affine');
      const out = await s.run(Float32Array.of(0, 1, 2, -1, -2, 0.5), [2, 3]);
      expect(out.y.dims).toEqual([2, 3]);
      expectClose(out.y.data, [1, 3, 5, -1, -3, 2], { atol: 0, rtol: 0 });
    } finally {
      await s.release();
    }
  });
  it("'auto' falls back to CPU unless the CUDA provider is bundled", async () => {
    const cuda = supportedProviders().find((p) => p.name === 'cuda');
    const s = await openSession(affineModel(), { provider: 'auto' });
    expect(s.provider).toBe(cuda?.bundled ? 'cuda' : 'cpu');
    await s.release();
  });
  it("'cuda' without the CUDA provider fails with one line naming the fix", async () => {
    if (supportedProviders().some((p) => p.name === 'cuda' && p.bundled)) {
      const s = await openSession(affineModel(), { provider: 'cuda' });
      expect(s.provider).toBe('cuda');
      await s.release();
    } else {
      await expect(openSession(affineModel(), { provider: 'cuda' })).rejects.toThrow(/CUDA provider not installed; reinstall onnxruntime-node/);
    }
  });
  it('names the file it cannot read', async () => {
    await expect(openSession('/no/such/model.onnx')).rejects.toThrow(/\/no\/such\/model\.onnx: cannot read the model \(ENOENT\)/);
  });
});
