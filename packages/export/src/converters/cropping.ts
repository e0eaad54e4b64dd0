import { registerConverter } from '../registry';
import { requireChannelsLast, unsupported } from './config';

function pairs(v: unknown): [[number, number], [number, number]] | undefined {
  if (typeof v === 'number') return [[v, v], [v, v]];
  if (Array.isArray(v) && v.length === 2) {
    const p = v.map((e) => (typeof e === 'number' ? [e, e] : e));
    if (p.every((e) => Array.isArray(e) && e.length === 2 && e.every((n: unknown) => typeof n === 'number'))) {
      return p as [[number, number], [number, number]];
    }
  }
  return undefined;
}

/** ZeroPadding2D [[top, bottom], [left, right]] -> Pad on NCHW. */
registerConverter('ZeroPadding2D', (a) => {
  requireChannelsLast(a.config, a.layer);
  const p = pairs(a.config.padding);
  if (!p) throw unsupported(a.layer, `padding ${JSON.stringify(a.config.padding)}`);
  const x = a.ctx.channelsFirst(a.inputs[0]);
  const g = a.ctx.graph;
  const pads = g.int64(`${a.name}/pads`, [0, 0, p[0][0], p[1][0], 0, 0, p[0][1], p[1][1]]);
  const y = g.add1('Pad', [x.name, pads], a.name, { mode: 'constant' });
  return [{ name: y, shape: a.outputShapes[0], layout: 'channels-first' }];
});

/** Cropping2D [[top, bottom], [left, right]] -> Slice of the spatial axes of NCHW. */
registerConverter('Cropping2D', (a) => {
  requireChannelsLast(a.config, a.layer);
  const p = pairs(a.config.cropping);
  if (!p) throw unsupported(a.layer, `cropping ${JSON.stringify(a.config.cropping)}`);
  const x = a.ctx.channelsFirst(a.inputs[0]);
  const g = a.ctx.graph;
  const end = (c: number): number => (c > 0 ? -c : 2 ** 31 - 1);
  const y = g.add1('Slice', [x.name, g.int64(`${a.name}/starts`, [p[0][0], p[1][0]]), g.int64(`${a.name}/ends`, [end(p[0][1]), end(p[1][1])]), g.int64(`${a.name}/axes`, [2, 3])], a.name);
  return [{ name: y, shape: a.outputShapes[0], layout: 'channels-first' }];
});
