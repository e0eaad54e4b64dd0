import type { Initializer, OnnxGraph, OnnxNode } from '../onnx-graph';

function floats(g: OnnxGraph, name: string | undefined): Float32Array | undefined {
  const t = name ? g.initializers.get(name) : undefined;
  return t && t.data instanceof Float32Array ? t.data : undefined;
}

function readers(g: OnnxGraph, name: string): number {
  return g.nodes.reduce((n, node) => n + node.inputs.filter((x) => x === name).length, 0);
}

/** Output channels of a Conv (W [O, I, kh, kw]) or Gemm without transB (W [in, out]); else 0. */
function outChannels(p: OnnxNode, w: Initializer): number {
  if (p.opType === 'Conv') return w.dims[0];
  const plainGemm = p.opType === 'Gemm' && !p.attrs.transA && !p.attrs.transB && p.attrs.alpha === undefined && p.attrs.beta === undefined;
  return plainGemm && w.dims.length === 2 ? w.dims[1] : 0;
}

/**
 * Folds every BatchNormalization whose input comes only from a Conv or Gemm with constant
 * weights into that layer: W' = W * s (per output channel), b' = (b - mean) * s + beta with
 * s = gamma / sqrt(var + eps). BNs after activations (pre-activation ResNets) stay. Values named
 * in `keep` (graph outputs) are never folded away. Returns how many were folded.
 */
export function foldBatchNorms(g: OnnxGraph, keep: ReadonlySet<string> = new Set()): number {
  let folded = 0;
  for (const bn of [...g.nodes]) {
    if (bn.opType !== 'BatchNormalization') continue;
    const x = bn.inputs[0];
    const p = g.producer(x);
    if (!p || keep.has(x) || readers(g, x) !== 1) continue;
    const wInit = g.initializers.get(p.inputs[1]);
    if (!wInit || !(wInit.data instanceof Float32Array) || readers(g, wInit.name) !== 1) continue;
    const c = outChannels(p, wInit);
    const [gamma, beta, mean, variance] = bn.inputs.slice(1).map((n) => floats(g, n));
    if (!c || !gamma || !beta || !mean || !variance || gamma.length !== c) continue;
    const oldBias = p.inputs[2] ? floats(g, p.inputs[2]) : new Float32Array(c);
    if (!oldBias || oldBias.length !== c || (p.inputs[2] && readers(g, p.inputs[2]) !== 1)) continue;

    const eps = typeof bn.attrs.epsilon === 'object' && 'float' in bn.attrs.epsilon ? bn.attrs.epsilon.float : 1e-5;
    const s = new Float64Array(c);
    for (let i = 0; i < c; i++) s[i] = gamma[i] / Math.sqrt(variance[i] + eps);
    const w = new Float32Array(wInit.data.length);
    const per = wInit.data.length / c;
    for (let i = 0; i < wInit.data.length; i++) {
      const ch = p.opType === 'Conv' ? Math.floor(i / per) : i % c;
      w[i] = wInit.data[i] * s[ch];
    }
    const b = new Float32Array(c);
    for (let i = 0; i < c; i++) b[i] = (oldBias[i] - mean[i]) * s[i] + beta[i];

    const base = p.outputs[0];
    p.inputs[1] = g.constant(`${base}/W_folded`, w, wInit.dims);
    p.inputs[2] = g.constant(`${base}/B_folded`, b, [c]);
    p.outputs[0] = bn.outputs[0];
    g.nodes.splice(g.nodes.indexOf(bn), 1);
    folded++;
  }
  g.pruneInitializers();
  return folded;
}
