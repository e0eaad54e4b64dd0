import { registerConverter, type ConvertArgs } from '../registry';
import { physicalAxis, type Value } from '../value';
import { unsupported } from './config';

function checkRanks(a: ConvertArgs): Value[] {
  const rank = a.inputs[0].shape.length;
  if (a.inputs.some((v) => v.shape.length !== rank)) throw unsupported(a.layer, 'inputs of different ranks');
  return a.ctx.common(a.inputs);
}

/** Element-wise merges of equal-rank inputs, kept in their common layout. */
function variadic(op: string) {
  return (a: ConvertArgs): Value[] => {
    const xs = checkRanks(a);
    const g = a.ctx.graph;
    const y = g.add1(op, xs.map((v) => v.name), a.name);
    return [{ name: y, shape: a.outputShapes[0], layout: xs[0].layout }];
  };
}

registerConverter('Add', variadic('Sum'));
registerConverter('Average', variadic('Mean'));
registerConverter('Maximum', variadic('Max'));
registerConverter('Minimum', variadic('Min'));

/** Multiply: a chain of binary Mul (ONNX has no variadic product). */
registerConverter('Multiply', (a) => {
  const xs = checkRanks(a);
  const g = a.ctx.graph;
  let y = xs[0].name;
  for (let i = 1; i < xs.length; i++) y = g.add1('Mul', [y, xs[i].name], i === xs.length - 1 ? a.name : `${a.name}/${i}`);
  return [{ name: y, shape: a.outputShapes[0], layout: xs[0].layout }];
});

registerConverter('Concatenate', (a) => {
  const xs = checkRanks(a);
  const axis = physicalAxis(xs[0], Number(a.config.axis ?? -1));
  const y = a.ctx.graph.add1('Concat', xs.map((v) => v.name), a.name, { axis });
  return [{ name: y, shape: a.outputShapes[0], layout: xs[0].layout }];
});
