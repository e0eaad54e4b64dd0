import type { ConvertContext } from '../context';
import { f } from '../onnx-graph';
import { physicalAxis, type Value } from '../value';

// tfjs-layers' SELU constants (activations.ts).
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

type Emit = (ctx: ConvertContext, x: Value, name: string) => string;

const unary = (op: string, attrs = {}): Emit => (ctx, x, name) => ctx.graph.add1(op, [x.name], name, attrs);

function scalar(ctx: ConvertContext, name: string, v: number): string {
  return ctx.graph.constant(name, Float32Array.of(v), []);
}

/** tfjs activation identifiers (as `getConfig()` writes them) -> ONNX. */
const activations = new Map<string, Emit>([
  ['relu', unary('Relu')],
  ['relu6', (ctx, x, name) => ctx.graph.add1('Clip', [x.name, scalar(ctx, `${name}/min`, 0), scalar(ctx, `${name}/max`, 6)], name)],
  ['elu', unary('Elu', { alpha: f(1) })],
  ['selu', unary('Selu', { alpha: f(SELU_ALPHA), gamma: f(SELU_SCALE) })],
  ['sigmoid', unary('Sigmoid')],
  ['hardSigmoid', unary('HardSigmoid', { alpha: f(0.2), beta: f(0.5) })],
  ['hard_sigmoid', unary('HardSigmoid', { alpha: f(0.2), beta: f(0.5) })],
  ['softplus', unary('Softplus')],
  ['softsign', unary('Softsign')],
  ['tanh', unary('Tanh')],
  ['softmax', (ctx, x, name) => ctx.graph.add1('Softmax', [x.name], name, { axis: physicalAxis(x, -1) })],
  ['logSoftmax', (ctx, x, name) => ctx.graph.add1('LogSoftmax', [x.name], name, { axis: physicalAxis(x, -1) })],
  ['swish', (ctx, x, name) => ctx.graph.add1('Mul', [x.name, ctx.graph.add1('Sigmoid', [x.name], `${name}/sigmoid`)], name)],
  [
    'mish',
    (ctx, x, name) => {
      const sp = ctx.graph.add1('Softplus', [x.name], `${name}/softplus`);
      return ctx.graph.add1('Mul', [x.name, ctx.graph.add1('Tanh', [sp], `${name}/tanh`)], name);
    },
  ],
  [
    'gelu',
    (ctx, x, name) => {
      // 0.5 * x * (1 + erf(x / sqrt(2)))
      const g = ctx.graph;
      const e = g.add1('Erf', [g.add1('Div', [x.name, scalar(ctx, `${name}/sqrt2`, Math.SQRT2)], `${name}/scaled`)], `${name}/erf`);
      const cdf = g.add1('Mul', [g.add1('Add', [e, scalar(ctx, `${name}/one`, 1)], `${name}/1p`), scalar(ctx, `${name}/half`, 0.5)], `${name}/cdf`);
      return g.add1('Mul', [x.name, cdf], name);
    },
  ],
]);

/** Applies a tfjs activation (null/'linear' = none); the layout is kept. */
export function applyActivation(ctx: ConvertContext, x: Value, activation: unknown, name: string, where: string): Value {
  if (activation == null || activation === 'linear') return x;
  const emit = typeof activation === 'string' ? activations.get(activation) : undefined;
  if (!emit) throw new Error(`${where}: activation ${JSON.stringify(activation)} is not supported by the ONNX exporter`);
  return { ...x, name: emit(ctx, x, name) };
}

/** The activation identifiers `applyActivation` knows. */
export const supportedActivations = (): string[] => ['linear', ...activations.keys()];
