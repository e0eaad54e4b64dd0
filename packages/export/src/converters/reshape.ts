import { registerConverter } from '../registry';
import { unsupported } from './config';

/** Flatten in Keras (NHWC) element order. */
registerConverter('Flatten', (a) => {
  const x = a.ctx.logical(a.inputs[0]);
  const y = a.ctx.graph.add1('Flatten', [x.name], a.name, { axis: 1 });
  return [{ name: y, shape: a.outputShapes[0], layout: 'logical' }];
});

/** Reshape of the non-batch axes; 0 keeps the (dynamic) batch size; tfjs writes -1 as null. */
registerConverter('Reshape', (a) => {
  const target = a.config.targetShape;
  if (!Array.isArray(target)) throw unsupported(a.layer, `targetShape ${JSON.stringify(target)}`);
  const x = a.ctx.logical(a.inputs[0]);
  const g = a.ctx.graph;
  const y = g.add1('Reshape', [x.name, g.int64(`${a.name}/shape`, [0, ...target.map((d) => (d == null ? -1 : Number(d)))])], a.name);
  return [{ name: y, shape: a.outputShapes[0], layout: 'logical' }];
});

/** Permute: Keras dims are 1-based and exclude the batch axis. */
registerConverter('Permute', (a) => {
  const dims = a.config.dims;
  if (!Array.isArray(dims)) throw unsupported(a.layer, `dims ${JSON.stringify(dims)}`);
  const x = a.ctx.logical(a.inputs[0]);
  const y = a.ctx.graph.add1('Transpose', [x.name], a.name, { perm: [0, ...dims.map(Number)] });
  return [{ name: y, shape: a.outputShapes[0], layout: 'logical' }];
});
