import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@ffem/testing';
import { buildModels } from './build-models';
import type { ModelConfig } from './config';
import { randomiseWeights } from './test-helpers';

const tiny: ModelConfig = { backbone: 'tiny', inputShape: [32, 32, 3], embeddingDim: 8, backboneOptions: { widths: [8, 16] }, seed: 1 };

describe('buildModels', () => {
  it('builds embedding [null, H, W, 3] -> [null, D] from an input named input; train === embedding without GroupAware', () => {
    const m = buildModels({ ...tiny, head: 'AngularMargin' });
    expect(m.embedding.inputNames).toEqual(['input']);
    expect(m.embedding.inputs[0].shape).toEqual([null, 32, 32, 3]);
    expect(m.embedding.outputs[0].shape).toEqual([null, 8]);
    expect(m.train).toBe(m.embedding);
    expect(m.backbone.outputs[0].shape).toEqual([null, 8, 8, 16]);
    // Shared layers: the backbone's conv is the embedding model's conv.
    expect(m.backbone.getLayer('stem_conv')).toBe(m.embedding.getLayer('stem_conv'));
  });

  it('normalises its [0, 1] input inside: x * 2 - 1 (Keras resnet_v2 preprocess_input)', () => {
    const m = buildModels(tiny);
    expect(m.embedding.getLayer('normalise').getConfig()).toMatchObject({ scale: 2, offset: -1 });
    expect(m.embedding.getLayer('normalise').getClassName()).toBe('Rescaling');
  });

  it("GroupAware: train outputs [embedding, group probabilities]; the embedding is GroupFace's final embedding", () => {
    const m = buildModels({ ...tiny, head: 'GroupAware', groupFace: { numGroups: 3, intermediateDim: 6 } });
    expect(m.train.outputs.map((o) => o.shape)).toEqual([[null, 8], [null, 3]]);
    expect(m.embedding.outputs[0].shape).toEqual([null, 8]);
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 2);
    const [e, p] = m.train.predict(x) as tf.Tensor[];
    expect(Array.from((m.embedding.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from(e.dataSync()));
    expectClose(tf.sum(p, 1).dataSync(), [1, 1], { atol: 1e-6, rtol: 0 });
  });

  it('is reproducible from its seed', () => {
    const a = buildModels(tiny).embedding.getWeights().map((w) => Array.from(w.dataSync()));
    const b = buildModels(tiny).embedding.getWeights().map((w) => Array.from(w.dataSync()));
    const c = buildModels({ ...tiny, seed: 2 }).embedding.getWeights().map((w) => Array.from(w.dataSync()));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  describe('an embedding does not depend on the rest of its batch', () => {
    const x = tf.randomUniform([3, 32, 32, 3], 0, 1, 'float32', 3);
    const other = tf.concat([tf.slice(x, [0], [1]), tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 4)]);
    const first = (m: tf.LayersModel, batch: tf.Tensor) => Array.from(tf.slice(m.predict(batch) as tf.Tensor, [0], [1]).dataSync());

    it("gnapMean 'image', BN in inference mode: identical", () => {
      const m = buildModels(tiny).embedding;
      randomiseWeights(m, 10);
      expectClose(first(m, other), first(m, x), { atol: 1e-6, rtol: 1e-6 });
      // ... and the same as the image alone.
      expectClose(first(m, tf.slice(x, [0], [1])), first(m, x), { atol: 1e-6, rtol: 1e-6 });
    });

    it("gnapMean 'batch' (the original): it does change", () => {
      const m = buildModels({ ...tiny, gnapMean: 'batch' }).embedding;
      randomiseWeights(m, 10);
      const a = first(m, x), b = first(m, other);
      expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeGreaterThan(1e-3);
    });
  });

  it('rejects unknown config keys and bad values, naming the field', () => {
    expect(() => buildModels({ ...tiny, embeddingDims: 8 } as ModelConfig)).toThrow(/embeddingDims: unknown key/);
    expect(() => buildModels({ ...tiny, pooling: 'max' as 'gap' })).toThrow(/pooling: expected one of gnap, gap/);
    expect(() => buildModels({ ...tiny, inputShape: [32, 32, 1] })).toThrow(/inputShape\[2\]/);
    expect(() => buildModels({ ...tiny, groupFace: { groups: 2 } as never })).toThrow(/groupFace.groups/);
  });

  it("pooling 'gap' uses plain global average pooling", () => {
    const m = buildModels({ ...tiny, pooling: 'gap' }).embedding;
    expect(m.layers.map((l) => l.name)).toContain('gap_pool');
    expect(m.layers.map((l) => l.name)).not.toContain('gnap_reweight');
  });
});
