import { registerConverter } from '../registry';

/** Layers that are the identity at inference: no node, the input value passes through. */
registerConverter(['Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout'], (a) => [
  { ...a.inputs[0], shape: a.outputShapes[0] },
]);
