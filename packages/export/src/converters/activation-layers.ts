import { transposeData } from '../context';
import { f } from '../onnx-graph';
import { registerConverter, type ConvertArgs } from '../registry';
import { physicalAxis, toChannelsFirstPerm, type Value } from '../value';
import { applyActivation } from './activation';
import { where } from './config';

const same = (a: ConvertArgs, name: string): Value[] => [{ ...a.inputs[0], name, shape: a.outputShapes[0] }];

registerConverter('Activation', (a) => [applyActivation(a.ctx, a.inputs[0], a.config.activation, a.name, where(a.layer))]);

/** ReLU layer: max(x, 0), clipped at maxValue when set. */
registerConverter('ReLU', (a) => {
  const g = a.ctx.graph;
  const x = a.inputs[0];
  const max = a.config.maxValue;
  if (max == null) return same(a, g.add1('Relu', [x.name], a.name));
  const lo = g.constant(`${a.name}/min`, Float32Array.of(0), []);
  const hi = g.constant(`${a.name}/max`, Float32Array.of(Number(max)), []);
  return same(a, g.add1('Clip', [x.name, lo, hi], a.name));
});

registerConverter('LeakyReLU', (a) => same(a, a.ctx.graph.add1('LeakyRelu', [a.inputs[0].name], a.name, { alpha: f(Number(a.config.alpha ?? 0.3)) })));

registerConverter('ELU', (a) => same(a, a.ctx.graph.add1('Elu', [a.inputs[0].name], a.name, { alpha: f(Number(a.config.alpha ?? 1)) })));

registerConverter('ThresholdedReLU', (a) =>
  same(a, a.ctx.graph.add1('ThresholdedRelu', [a.inputs[0].name], a.name, { alpha: f(Number(a.config.theta ?? 1)) })),
);

registerConverter('Softmax', (a) => {
  const x = a.inputs[0];
  const axis = a.config.axis;
  if (Array.isArray(axis) && axis.length !== 1) throw new Error(`${where(a.layer)}: softmax over several axes is not supported`);
  const ax = Number(Array.isArray(axis) ? axis[0] : (axis ?? -1));
  return same(a, a.ctx.graph.add1('Softmax', [x.name], a.name, { axis: physicalAxis(x, ax) }));
});

/**
 * PReLU: alpha has the input's shape without the batch axis (shared axes of size 1); stored
 * channels-first it is permuted the same way ([H, W, C] -> [C, H, W]) so it broadcasts.
 */
registerConverter('PReLU', (a) => {
  const x = a.inputs[0];
  const alpha = a.ctx.requireWeight(a.layer, 'alpha');
  let slope = alpha;
  if (x.layout === 'channels-first') {
    // Drop the batch entry of the rank-r permutation: [0, r-1, 1..r-2] -> alpha perm [r-2, 0..r-3].
    const perm = toChannelsFirstPerm(x.shape.length).slice(1).map((i) => i - 1);
    slope = transposeData(alpha.data, alpha.shape, perm);
  }
  const s = a.ctx.graph.constant(`${a.name}/alpha`, slope.data, slope.shape);
  return same(a, a.ctx.graph.add1('PRelu', [x.name, s], a.name));
});
