import { NORM_AWARE_REWEIGHT } from '@ffem/models';
import { registerConverter } from '../registry';
import { physicalAxis } from '../value';
import { unsupported } from './config';

/**
 * GNAP's NormAwareReweight (@ffem/models layers/norm-aware-reweight.ts) on x [N, H, W, C]:
 *   n = sqrt(max(sum_c x^2, eps)); m = mean_{h,w} n ('image') or mean_{b,h,w} n ('batch');
 *   y = x / n * m
 * as ReduceSumSquare -> Max -> Sqrt -> ReduceMean -> Div -> Mul, in the input's layout.
 */
registerConverter(NORM_AWARE_REWEIGHT, (a) => {
  const g = a.ctx.graph;
  const x = a.inputs[0];
  if (x.shape.length !== 4) throw unsupported(a.layer, `input rank ${x.shape.length}`);
  const mean = a.config.mean ?? 'image';
  if (mean !== 'image' && mean !== 'batch') throw unsupported(a.layer, `mean '${String(mean)}'`);
  const eps = Number(a.config.epsilon ?? 1e-12);
  const c = physicalAxis(x, -1);
  const spatial = [physicalAxis(x, 1), physicalAxis(x, 2)];
  const sq = g.add1('ReduceSumSquare', [x.name], `${a.name}/sumsq`, { axes: [c], keepdims: 1 });
  const clipped = g.add1('Max', [sq, g.constant(`${a.name}/eps`, Float32Array.of(eps), [])], `${a.name}/floor`);
  const norm = g.add1('Sqrt', [clipped], `${a.name}/norm`);
  const m = g.add1('ReduceMean', [norm], `${a.name}/mean_norm`, mean === 'image' ? { axes: spatial, keepdims: 1 } : { keepdims: 1 });
  const unit = g.add1('Div', [x.name, norm], `${a.name}/unit`);
  const y = g.add1('Mul', [unit, m], a.name);
  return [{ name: y, shape: a.outputShapes[0], layout: x.layout }];
});
