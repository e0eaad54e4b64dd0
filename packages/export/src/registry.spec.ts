import { CUSTOM_LAYER_CLASSNAMES } from '@ffem/models';
import './converters';
import { converters } from './registry';

describe('converter registry', () => {
  it('has a converter for every custom layer class @ffem/models can put in a model', () => {
    expect(CUSTOM_LAYER_CLASSNAMES.length).toBeGreaterThan(0);
    for (const c of CUSTOM_LAYER_CLASSNAMES) expect([c, converters.has(c)]).toEqual([c, true]);
  });

  it('covers the standard layers a ResNet uses', () => {
    for (const c of ['Conv2D', 'DepthwiseConv2D', 'BatchNormalization', 'Dense', 'ReLU', 'PReLU', 'Add', 'ZeroPadding2D', 'MaxPooling2D', 'GlobalAveragePooling2D', 'Rescaling', 'Activation']) {
      expect([c, converters.has(c)]).toEqual([c, true]);
    }
  });
});
