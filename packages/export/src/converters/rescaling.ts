import { registerConverter } from '../registry';
import { unsupported } from './config';

/** Rescaling: x * scale + offset (scalars). */
registerConverter('Rescaling', (a) => {
  const scale = a.config.scale;
  const offset = a.config.offset ?? 0;
  if (typeof scale !== 'number' || typeof offset !== 'number') throw unsupported(a.layer, 'non-scalar scale/offset');
  const g = a.ctx.graph;
  const x = a.inputs[0];
  let y = g.add1('Mul', [x.name, g.constant(`${a.name}/scale`, Float32Array.of(scale), [])], offset === 0 ? a.name : `${a.name}/scaled`);
  if (offset !== 0) y = g.add1('Add', [y, g.constant(`${a.name}/offset`, Float32Array.of(offset), [])], a.name);
  return [{ ...x, name: y, shape: a.outputShapes[0] }];
});
