import * as tf from '@tensorflow/tfjs';
import { buildModels } from '../build-models';
import { listBackbones } from './registry';

/** Trainable parameters (what torchvision's / Keras' trainable counts report). */
function trainableParams(m: tf.LayersModel): number {
  return m.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b as number), 1), 0);
}

describe('backbones', () => {
  it('registers resnet50v2, resnet18, resnet34 and tiny', () => {
    expect(listBackbones().sort()).toEqual(['resnet18', 'resnet34', 'resnet50v2', 'tiny']);
  });

  it('resnet50v2: the Keras ResNet50V2 layout, 23,564,800 parameters, [4, 4, 2048] at 112x112', () => {
    const { backbone } = buildModels({ backbone: 'resnet50v2' });
    expect(backbone.countParams()).toBe(23_564_800);
    expect(backbone.inputs[0].shape).toEqual([null, 112, 112, 3]);
    expect(backbone.outputs[0].shape).toEqual([null, 4, 4, 2048]);
    // Keras layer names, so weights map one to one.
    for (const name of ['conv1_conv', 'conv2_block1_preact_bn', 'conv2_block1_0_conv', 'conv4_block6_3_conv', 'post_bn']) {
      expect(backbone.getLayer(name)).toBeDefined();
    }
    expect(backbone.getLayer('conv1_conv').getWeights()[0].shape).toEqual([7, 7, 3, 64]);
  });

  it.each([
    ['resnet18', 11_176_512],
    ['resnet34', 21_284_672],
  ] as const)('%s: torchvision layout (%d trainable parameters without fc), [4, 4, 512] at 112x112', (name, params) => {
    const { backbone } = buildModels({ backbone: name });
    expect(trainableParams(backbone)).toBe(params);
    expect(backbone.outputs[0].shape).toEqual([null, 4, 4, 512]);
  });

  it('tiny: configurable widths/blocks, runs a forward pass at 32x32', () => {
    const { backbone } = buildModels({ backbone: 'tiny', inputShape: [32, 32, 3], backboneOptions: { widths: [8, 16], blocks: [1, 2] } });
    expect(backbone.outputs[0].shape).toEqual([null, 8, 8, 16]);
    const y = backbone.predict(tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 1)) as tf.Tensor;
    expect(y.shape).toEqual([2, 8, 8, 16]);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it('rejects unknown backbones and options, naming them', () => {
    expect(() => buildModels({ backbone: 'vgg16' })).toThrow(/backbone: unknown backbone 'vgg16'/);
    expect(() => buildModels({ backbone: 'tiny', backboneOptions: { depth: 3 } })).toThrow(/backboneOptions.depth/);
    expect(() => buildModels({ backbone: 'tiny', backboneOptions: { widths: [8], blocks: [1, 1] } })).toThrow(/backboneOptions.blocks/);
  });
});
