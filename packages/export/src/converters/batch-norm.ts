import { registerConverter, type ConvertArgs } from '../registry';
import type { Value } from '../value';
import { normAxis, physicalAxis } from '../value';
import { unsupported, where } from './config';

/**
 * Inference-form BatchNormalization: y = (x - mean) / sqrt(var + eps) * gamma + beta. Emitted as
 * ONNX BatchNormalization when the normalised axis can sit at position 1 (channels of a rank >= 3
 * tensor, or features of a rank-2 one); otherwise as Mul + Add with broadcastable constants.
 */
export function batchNorm(a: ConvertArgs): Value[] {
  const g = a.ctx.graph;
  const rawAxis = a.config.axis;
  if (Array.isArray(rawAxis) && rawAxis.length !== 1) throw unsupported(a.layer, `axis ${JSON.stringify(rawAxis)}`);
  let x = a.inputs[0];
  const rank = x.shape.length;
  const axis = normAxis(Number(Array.isArray(rawAxis) ? rawAxis[0] : (rawAxis ?? -1)), rank, where(a.layer));
  const mean = a.ctx.requireWeight(a.layer, 'moving_mean').data;
  const variance = a.ctx.requireWeight(a.layer, 'moving_variance').data;
  const c = mean.length;
  const gamma = a.config.scale === false ? new Float32Array(c).fill(1) : a.ctx.requireWeight(a.layer, 'gamma').data;
  const beta = a.config.center === false ? new Float32Array(c) : a.ctx.requireWeight(a.layer, 'beta').data;
  const eps = Number(a.config.epsilon ?? 1e-3);
  if (rank >= 3 && axis === rank - 1) x = a.ctx.channelsFirst(x);
  if (rank >= 2 && physicalAxis(x, axis) === 1) {
    const y = g.add1(
      'BatchNormalization',
      [x.name, g.constant(`${a.name}/gamma`, gamma, [c]), g.constant(`${a.name}/beta`, beta, [c]), g.constant(`${a.name}/mean`, mean, [c]), g.constant(`${a.name}/var`, variance, [c])],
      a.name,
      { epsilon: { float: eps } },
    );
    return [{ name: y, shape: a.outputShapes[0], layout: x.layout }];
  }
  // General axis: scale = gamma / sqrt(var + eps), shift = beta - mean * scale, broadcast on the
  // stored axis p (constant shape [c, 1, ..., 1] of rank `rank - p`).
  const scale = new Float32Array(c);
  const shift = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    scale[i] = gamma[i] / Math.sqrt(variance[i] + eps);
    shift[i] = beta[i] - mean[i] * scale[i];
  }
  const p = physicalAxis(x, axis);
  const dims = [c, ...Array(rank - p - 1).fill(1)];
  const m = g.add1('Mul', [x.name, g.constant(`${a.name}/scale`, scale, dims)], `${a.name}/scaled`);
  const y = g.add1('Add', [m, g.constant(`${a.name}/shift`, shift, dims)], a.name);
  return [{ name: y, shape: a.outputShapes[0], layout: x.layout }];
}

registerConverter('BatchNormalization', batchNorm);
