import { registerConverter } from '../registry';
import { applyActivation } from './activation';
import { where } from './config';

/** Dense: Gemm for rank-2 inputs (kernel [in, out] as B), MatMul + Add on the last axis otherwise. */
registerConverter('Dense', (a) => {
  const g = a.ctx.graph;
  const x = a.ctx.logical(a.inputs[0]);
  const k = a.ctx.requireWeight(a.layer, 'kernel');
  const useBias = a.config.useBias !== false;
  const W = g.constant(`${a.name}/W`, k.data, k.shape);
  let y: string;
  if (x.shape.length === 2) {
    const inputs = [x.name, W];
    if (useBias) {
      const b = a.ctx.requireWeight(a.layer, 'bias');
      inputs.push(g.constant(`${a.name}/B`, b.data, b.shape));
    }
    y = g.add1('Gemm', inputs, a.name);
  } else {
    y = g.add1('MatMul', [x.name, W], useBias ? `${a.name}/matmul` : a.name);
    if (useBias) {
      const b = a.ctx.requireWeight(a.layer, 'bias');
      y = g.add1('Add', [y, g.constant(`${a.name}/B`, b.data, b.shape)], a.name);
    }
  }
  return [applyActivation(a.ctx, { name: y, shape: a.outputShapes[0], layout: 'logical' }, a.config.activation, `${a.name}/act`, where(a.layer))];
});
