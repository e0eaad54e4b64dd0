import { GROUP_WEIGHTED_SUM } from '@ffem/models';
import { registerConverter } from '../registry';
import { unsupported } from './config';

/**
 * GroupFace's GroupWeightedSum (@ffem/models layers/group-weighted-sum.ts): inputs
 * [p [N, K], g_0 ... g_{K-1} [N, D]] -> sum_k p[:, k] * g_k, as Split(p) -> K x Mul -> Sum.
 */
registerConverter(GROUP_WEIGHTED_SUM, (a) => {
  const g = a.ctx.graph;
  const [p, ...groups] = a.inputs.map((v) => a.ctx.logical(v));
  if (p.shape.length !== 2 || groups.length === 0 || groups.some((v) => v.shape.length !== 2)) {
    throw unsupported(a.layer, `input shapes ${JSON.stringify(a.inputs.map((v) => v.shape))}`);
  }
  const k = groups.length;
  const cols = k === 1 ? [p.name] : g.add('Split', [p.name], `${a.name}/p`, { axis: 1 }, k);
  const terms = groups.map((v, i) => g.add1('Mul', [cols[i], v.name], `${a.name}/term${i}`));
  const y = k === 1 ? terms[0] : g.add1('Sum', terms, a.name);
  return [{ name: y, shape: a.outputShapes[0], layout: 'logical' }];
});
