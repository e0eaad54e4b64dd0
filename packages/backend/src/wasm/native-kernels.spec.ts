import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { expectClose } from '@ffem/testing';
import { initBackend } from '../select-backend';
import { batchNormTraining } from '../gradients/batch-norm-training';
import { nativeUpdateCount } from '../optimizers/in-place';
import { convCases } from './conv-cases';
import { convGeometry } from './conv-geometry';
import { heapF32, heapU8, offsetF32, ortRunCount } from './heap';
import { col2im, im2col } from './im2col';
import { MOVING_AVERAGE, movingAverage } from './moving-average';
import { NATIVE_KERNELS_DIR, buildMismatch, nativeCallCount, nativeKernels, setNativeKernels } from './native';

const status = JSON.parse(fs.readFileSync(path.join(NATIVE_KERNELS_DIR, 'status.json'), 'utf8')) as { built: boolean; reason?: string };
/** The native paths can only be checked where the addon was built (CI builds it: see the first test). */
const itNative = status.built ? it : it.skip;

/** Runs `f` on `backend` (native kernels on or off) and returns its tensors' values. */
async function valuesOn(backend: 'cpu' | 'wasm', native: boolean, f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  setNativeKernels(native);
  try {
    const ts = tf.tidy(f);
    const out = await Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));
    tf.dispose(ts);
    return out;
  } finally {
    setNativeKernels(true);
  }
}

describe('native training kernels (wasm)', () => {
  beforeAll(async () => {
    await initBackend('wasm', null);
  });

  it('are in use wherever native/build.mjs built them', () => {
    if (status.built) expect(nativeKernels()).not.toBeNull();
    else expect(nativeKernels()).toBeNull();
  });

  it('are not loaded where the build says it failed, or was made with -march=native for another CPU', () => {
    expect(buildMismatch(null, 'X')).toMatch(/never ran/);
    expect(buildMismatch({ built: false, reason: 'cc failed: no cc' }, 'X')).toBe('not built: cc failed: no cc');
    expect(buildMismatch({ built: true, compiler: 'cc -O3 -march=native', cpu: 'AMD EPYC 9R14' }, 'Intel Xeon')).toMatch(/built for another CPU \(AMD EPYC 9R14; this one is Intel Xeon\): rebuild/);
    expect(buildMismatch({ built: true, compiler: 'cc -O3', cpu: 'AMD EPYC 9R14' }, 'Intel Xeon')).toBeNull();
    expect(buildMismatch({ built: true, compiler: 'cc -O3 -march=native', cpu: 'Intel Xeon' }, 'Intel Xeon')).toBeNull();
  });

  itNative('refuse arrays outside the heap, misaligned offsets and missing arguments with a RangeError', () => {
    const heap = new Uint8Array(64);
    const k = nativeKernels()!;
    expect(() => k.reluGrad(heap, 0, 16, 48, 8)).toThrow(/reluGrad: array outside the heap/);
    expect(() => k.reluGrad(heap, 0, 16, 33, 2)).toThrow(/misaligned/);
    expect(() => (k.reluGrad as (...a: unknown[]) => void)(heap, 0, 16)).toThrow(/wrong number of arguments/);
    expect(() => k.reluGrad(new Float32Array(16) as unknown as Uint8Array, 0, 16, 32, 4)).toThrow(/heap \(Uint8Array\)/);
  });

  describe('batch normalization in training', () => {
    it.each([[[8, 7, 7, 32]], [[5, 12]], [[2, 3, 1, 5]], [[1, 1, 1, 4]]])('values and gradients equal the tf-ops path on cpu, shape %j', async (shape) => {
      const c = shape[shape.length - 1];
      const run = (): tf.Tensor[] => {
        const x = tf.randomNormal(shape, 0.5, 2, 'float32', 1);
        const gamma = tf.randomNormal([c], 1, 0.3, 'float32', 2);
        const beta = tf.randomNormal([c], 0, 1, 'float32', 3);
        const dy = tf.randomNormal(shape, 0, 1, 'float32', 4);
        const r = batchNormTraining(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-3);
        const grads = tf.grads((a, g, b) => {
          const s = batchNormTraining(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3);
          tf.dispose([s.mean, s.variance]);
          return tf.sum(tf.mul(s.y, dy));
        })([x, gamma, beta]);
        return [r.y, r.mean, r.variance, ...grads];
      };
      const calls = nativeCallCount('bnBackward');
      const want = await valuesOn('cpu', true, run);
      const got = await valuesOn('wasm', true, run);
      if (status.built) expect(nativeCallCount('bnBackward')).toBeGreaterThan(calls);
      ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'].forEach((name, i) => expectClose(got[i], want[i], { atol: 2e-4, rtol: 2e-4 }, name));
      if (shape[0] > 1) expect(Math.max(...Array.from(got[3]).map(Math.abs))).toBeGreaterThan(1e-3);
    });
  });

  describe('the ReLU gradient', () => {
    it('is dy·step(x) exactly, NaN included', async () => {
      const run = (): tf.Tensor[] => {
        const x = tf.concat([tf.tensor1d([0, -0, 1e-30, -1e-30, NaN, Infinity, -Infinity]), tf.randomNormal([200000], 0, 1, 'float32', 5)]);
        const dy = tf.randomNormal(x.shape, 0, 1, 'float32', 6);
        return [tf.grad((a) => tf.sum(tf.mul(tf.relu(a), dy)))(x)];
      };
      const calls = nativeCallCount('reluGrad');
      const [want] = await valuesOn('cpu', true, run);
      const [got] = await valuesOn('wasm', true, run);
      if (status.built) expect(nativeCallCount('reluGrad')).toBeGreaterThan(calls);
      expect(Array.from(got.subarray(0, 7)).map(String)).toEqual(Array.from(want.subarray(0, 7)).map(String));
      expect(Number.isNaN(got[4])).toBe(true);
      expect(got).toEqual(want);
    });
  });

  describe('ReLU and Add on large tensors', () => {
    const specials = [0, -0, 1e-30, -1e-30, NaN, Infinity, -Infinity, 3, -3];
    it('relu equals the cpu backend exactly (NaN, -0 and infinities included), natively from 16K elements', async () => {
      const run = (n: number) => (): tf.Tensor[] => [tf.relu(tf.concat([tf.tensor1d(specials), tf.randomNormal([n], 0, 1, 'float32', 17)]))];
      for (const n of [100, 100000]) {
        const calls = nativeCallCount('relu');
        const [want] = await valuesOn('cpu', true, run(n));
        const [got] = await valuesOn('wasm', true, run(n));
        if (status.built) expect(nativeCallCount('relu')).toBe(calls + (n > 16384 ? 1 : 0));
        expect(Array.from(got.subarray(0, specials.length)).map((v) => Object.is(v, -0) ? '-0' : String(v))).toEqual(
          Array.from(want.subarray(0, specials.length)).map((v) => Object.is(v, -0) ? '-0' : String(v)),
        );
        expect(got).toEqual(want);
      }
    });

    it('add of one shape is exact and native; broadcasting goes to the backend\'s own kernel', async () => {
      const same = (): tf.Tensor[] => [tf.add(tf.randomNormal([8, 30, 30, 16], 0, 1, 'float32', 18), tf.randomNormal([8, 30, 30, 16], 0, 1, 'float32', 19))];
      const broadcast = (): tf.Tensor[] => [tf.add(tf.randomNormal([8, 30, 30, 16], 0, 1, 'float32', 18), tf.randomNormal([16], 0, 1, 'float32', 19))];
      const calls = nativeCallCount('add');
      const [want] = await valuesOn('cpu', true, same);
      const [got] = await valuesOn('wasm', true, same);
      if (status.built) expect(nativeCallCount('add')).toBe(calls + 1);
      expect(got).toEqual(want);
      const [wantB] = await valuesOn('cpu', true, broadcast);
      const [gotB] = await valuesOn('wasm', true, broadcast);
      expect(nativeCallCount('add')).toBe(calls + (status.built ? 1 : 0));
      expect(gotB).toEqual(wantB);
    });
  });

  describe('MaxPoolGrad', () => {
    const cases: Array<[string, number[], number, number, 'same' | 'valid']> = [
      ['3x3 stride 2 same (the ResNet stem)', [2, 9, 9, 5], 3, 2, 'same'],
      ['2x2 stride 2 valid', [2, 8, 6, 3], 2, 2, 'valid'],
      ['3x3 stride 1 same (overlapping windows)', [1, 6, 7, 4], 3, 1, 'same'],
      ['2x2 stride 3 valid (gaps between windows)', [1, 10, 10, 2], 2, 3, 'valid'],
    ];
    it.each(cases)('%s: equals the cpu backend, ties to the first maximum', async (_name, shape, size, stride, pad) => {
      const run = (ties: boolean) => (): tf.Tensor[] => {
        // Rounded values: many ties inside windows.
        const x0 = tf.randomNormal(shape, 0, 1.5, 'float32', 7);
        const x = ties ? tf.round(x0) : x0;
        const y = tf.maxPool(x as tf.Tensor4D, size, stride, pad);
        const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 8);
        return [tf.grad((a) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, size, stride, pad), dy)))(x)];
      };
      const calls = nativeCallCount('maxPoolGrad');
      const [want] = await valuesOn('cpu', true, run(true));
      const [got] = await valuesOn('wasm', true, run(true));
      if (status.built) expect(nativeCallCount('maxPoolGrad')).toBe(calls + 1);
      expectClose(got, want, { atol: 1e-6, rtol: 1e-6 }, 'native, with ties');
      // Without the addon: the same loops in JS (not the backend's own kernel, which is wrong here).
      const [js] = await valuesOn('wasm', false, run(true));
      expect(nativeCallCount('maxPoolGrad')).toBe(calls + 1);
      expectClose(js, want, { atol: 1e-6, rtol: 1e-6 }, 'JS');
    });
  });

  describe('im2col and col2im', () => {
    it.each(convCases.map((c) => [c.name, c] as const))('%s: the native loops give the JS loops\' values exactly', async (_name, c) => {
      await tf.setBackend('wasm');
      const backend = tf.backend() as BackendWasm;
      const g = convGeometry(c.x, c.filter, c.strides, c.pad, undefined, 'NHWC', 'test');
      const rows = g.n * g.outH * g.outW;
      const k = g.kH * g.kW * g.inC;
      const x = tf.randomNormal(c.x, 0, 1, 'float32', 9);
      const dcols = tf.randomNormal([rows, k], 0, 1, 'float32', 10);
      const outputs = (native: boolean): [Float32Array, Float32Array] => {
        setNativeKernels(native);
        const cols = tf.fill([rows, k], 7);
        const dx = tf.fill(c.x, 7); // both must overwrite what is there
        im2col(heapF32(backend), offsetF32(backend, x), offsetF32(backend, cols), g);
        col2im(heapF32(backend), offsetF32(backend, dcols), offsetF32(backend, dx), g);
        const out: [Float32Array, Float32Array] = [cols.dataSync() as Float32Array, dx.dataSync() as Float32Array];
        tf.dispose([cols, dx]);
        setNativeKernels(true);
        return out;
      };
      const calls = nativeCallCount('col2im');
      const js = outputs(false);
      const native = outputs(true);
      if (status.built) expect(nativeCallCount('col2im')).toBe(calls + 1);
      expect(native[0]).toEqual(js[0]);
      expect(native[1]).toEqual(js[1]);
      expect(js[0].some((v) => v === 7)).toBe(false);
      tf.dispose([x, dcols]);
    });
  });

  describe('FfemMovingAverage (batch norm\'s moving statistics)', () => {
    it('equals the three tfjs ops it replaces bit for bit', async () => {
      const parts = (): tf.Tensor[] => [tf.randomNormal([300], 0, 5, 'float32', 21), tf.randomNormal([300], 0, 5, 'float32', 22)];
      const fused = await valuesOn('wasm', true, () => {
        const [v, x] = parts();
        return [movingAverage(v, x, 1 - 0.99)];
      });
      const ops = await valuesOn('wasm', true, () => {
        const [v, x] = parts();
        return [tf.sub(v, tf.mul(tf.sub(v, x), 1 - 0.99))];
      });
      const cpu = await valuesOn('cpu', true, () => {
        const [v, x] = parts();
        return [movingAverage(v, x, 1 - 0.99)];
      });
      expect(fused[0]).toEqual(ops[0]);
      expect(fused[0]).toEqual(cpu[0]);
      await tf.setBackend('wasm');
      const p = await tf.profile(() => movingAverage(tf.ones([3]), tf.zeros([3]), 0.5));
      expect(p.kernels.map((k) => k.name)).toContain(MOVING_AVERAGE);
    });
  });

  describe('optimizers in place (SGD momentum, Adam)', () => {
    /** Four steps of `make()` on two variables; returns their values and every slot. */
    function steps(make: () => tf.Optimizer): tf.Tensor[] {
      const init = [tf.randomNormal([3, 3, 16, 8], 0, 1, 'float32', 11), tf.randomNormal([8], 0, 1, 'float32', 12)];
      const [w1, w2] = init.map((t) => tf.variable(t));
      tf.dispose(init); // else the variables share their memory with these (and are not updated in place)
      const opt = make();
      for (let step = 0; step < 4; step++) {
        // Step 2 gives w2 a zero gradient (Adam's sqrt(0) + epsilon path).
        const g1 = tf.randomNormal(w1.shape, 0, step === 3 ? 1e-3 : 1, 'float32', 20 + step);
        const g2 = step === 2 ? tf.zeros(w2.shape) : tf.randomNormal(w2.shape, 0, 1, 'float32', 30 + step);
        opt.applyGradients([
          { name: w1.name, tensor: g1 },
          { name: w2.name, tensor: g2 },
        ]);
        tf.dispose([g1, g2]);
      }
      const slots = (opt as unknown as Record<string, Array<{ variable: tf.Variable }> | undefined>);
      const slotTensors = ['accumulations', 'accumulatedFirstMoment', 'accumulatedSecondMoment'].flatMap((k) => (slots[k] ?? []).map((a) => a.variable.clone()));
      const out = [w1.clone(), w2.clone(), ...slotTensors];
      opt.dispose();
      tf.dispose([w1, w2]);
      return out;
    }

    it.each([
      ['momentum', () => tf.train.momentum(0.05, 0.9)],
      ['momentum, Nesterov', () => tf.train.momentum(0.05, 0.9, true)],
      ['Adam (Keras defaults)', () => tf.train.adam(0.003, 0.9, 0.999, 1e-7)],
      ['Adam (backend epsilon)', () => tf.train.adam(0.1, 0.8, 0.95)],
    ] as const)("%s gives tfjs' own update bit for bit", async (_name, make) => {
      const before = nativeUpdateCount();
      const want = await valuesOn('wasm', false, () => steps(make));
      expect(nativeUpdateCount()).toBe(before);
      const got = await valuesOn('wasm', true, () => steps(make));
      if (status.built) expect(nativeUpdateCount()).toBe(before + 8);
      expect(got.length).toBe(want.length);
      want.forEach((w, i) => expect(got[i]).toEqual(w));
      const cpu = await valuesOn('cpu', true, () => steps(make));
      cpu.forEach((w, i) => expect(got[i]).toEqual(w));
    });

    it('leaves tensors sharing a variable\'s or a slot\'s memory alone', async () => {
      await tf.setBackend('wasm');
      const w = tf.variable(tf.tensor1d([1, 2, 3, 4]));
      const alias = tf.clone(w); // Identity: shares the data
      const opt = tf.train.momentum(0.5, 0.9);
      const before = nativeUpdateCount();
      opt.applyGradients([{ name: w.name, tensor: tf.ones([4]) }]);
      if (status.built) expect(nativeUpdateCount()).toBe(before + 1); // the weights go to a new buffer
      expect(Array.from(alias.dataSync())).toEqual([1, 2, 3, 4]);
      expect(Array.from(w.dataSync())).toEqual([0.5, 1.5, 2.5, 3.5]);
      // A copy of the accumulator (as a checkpoint takes one) keeps its values: tfjs' ops run.
      const slotCopy = tf.clone((opt as unknown as { accumulations: Array<{ variable: tf.Variable }> }).accumulations[0].variable);
      opt.applyGradients([{ name: w.name, tensor: tf.ones([4]) }]);
      expect(nativeUpdateCount()).toBe(before + (status.built ? 1 : 0));
      expect(Array.from(slotCopy.dataSync())).toEqual([1, 1, 1, 1]);
      expect(Array.from(w.dataSync())).toEqual([-0.45, 0.55, 1.55, 2.55].map(Math.fround));
      tf.dispose([w, alias, slotCopy]);
      opt.dispose();
    });

    it.each([
      ['momentum', () => tf.train.momentum(0.1, 0.9)],
      ['Adam', () => tf.train.adam(0.01)],
    ] as const)('%s: a Dense model trains to the same weights and losses as with tfjs\' ops (no stale XNNPACK weights)', async (_name, make) => {
      // Dense layers run _FusedMatMul on XNNPACK, which caches packed weights by the weight tensor's id.
      const train = (): tf.Tensor[] => {
        const model = tf.sequential({
          layers: [tf.layers.dense({ units: 16, inputShape: [8], activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }), tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) })],
        });
        const x = tf.randomNormal([32, 8], 0, 1, 'float32', 3);
        const y = tf.randomNormal([32, 4], 0, 1, 'float32', 4);
        const opt = make();
        const losses: tf.Tensor[] = [];
        for (let step = 0; step < 6; step++) losses.push(opt.minimize(() => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar, true)!);
        const out = [tf.stack(losses), ...model.getWeights().map((t) => t.clone())];
        opt.dispose();
        model.dispose();
        return out;
      };
      const before = nativeUpdateCount();
      const want = await valuesOn('wasm', false, train);
      const got = await valuesOn('wasm', true, train);
      if (status.built) expect(nativeUpdateCount()).toBeGreaterThan(before);
      expect(got[0][5]).toBeLessThan(got[0][0]); // it learns
      want.forEach((w, i) => expect(got[i]).toEqual(w));
    });
  });

  describe('BatchMatMul with a batch of one on onnxruntime', () => {
    it.each([
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ])('transposeA %s, transposeB %s: equals the cpu backend', async (ta, tb) => {
      const run = (): tf.Tensor[] => {
        const a = tf.randomNormal(ta ? [9, 17] : [17, 9], 0, 1, 'float32', 13);
        const b = tf.randomNormal(tb ? [5, 9] : [9, 5], 0, 1, 'float32', 14);
        return [tf.matMul(a, b, ta, tb)];
      };
      const runs = ortRunCount();
      const [want] = await valuesOn('cpu', true, run);
      const [got] = await valuesOn('wasm', true, run);
      expect(ortRunCount()).toBe(runs + 1);
      expectClose(got, want, { atol: 1e-5, rtol: 1e-5 }, 'matMul');
    });

    it('hands batches to the backend\'s own kernel', async () => {
      const run = (): tf.Tensor[] => [tf.matMul(tf.randomNormal([3, 4, 6], 0, 1, 'float32', 15), tf.randomNormal([3, 6, 2], 0, 1, 'float32', 16))];
      const runs = ortRunCount();
      const [want] = await valuesOn('cpu', true, run);
      const [got] = await valuesOn('wasm', true, run);
      expect(ortRunCount()).toBe(runs);
      expectClose(got, want, { atol: 1e-5, rtol: 1e-5 }, 'batched matMul');
    });
  });

  itNative('reach the wasm heap of the threaded build too (a SharedArrayBuffer)', () => {
    const heap = new Uint8Array(new SharedArrayBuffer(64));
    const f = new Float32Array(heap.buffer);
    f.set([1, -1, 2, 0], 0);
    f.set([5, 6, 7, 8], 4);
    nativeKernels()!.reluGrad(heap, 16, 0, 32, 4);
    expect(Array.from(f.subarray(8, 12))).toEqual([5, 0, 7, 0]);
  });
});

describe('heapU8', () => {
  it('covers the same bytes as heapF32', async () => {
    await initBackend('wasm', null);
    const backend = tf.backend() as BackendWasm;
    expect(heapU8(backend).byteLength).toBe(heapF32(backend).byteLength);
  });
});
