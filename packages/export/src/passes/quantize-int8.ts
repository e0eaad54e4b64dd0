import type { OnnxGraph } from '../onnx-graph';

export interface QuantizeReport {
  /** Weight tensors replaced by int8 + DequantizeLinear. */
  tensors: number;
  /** Bytes of those weights before (float32) and after (int8 + scales). */
  bytesBefore: number;
  bytesAfter: number;
}

/** Which axis of a node's weight holds its output channels (the per-channel scale axis). */
function channelAxis(opType: string, attrs: Record<string, unknown>, rank: number): number | undefined {
  if (opType === 'Conv' && rank >= 3) return 0;
  if (opType === 'Gemm' && rank === 2) return attrs.transB ? 0 : 1;
  if (opType === 'MatMul' && rank === 2) return 1;
  return undefined;
}

/**
 * Weight-only int8: every Conv/Gemm/MatMul constant weight becomes int8 with a symmetric
 * per-output-channel scale (max|w| / 127, zero point 0) and a DequantizeLinear node restoring
 * float32 under the original name, so the compute stays fp32 and only the file shrinks.
 */
export function quantizeWeightsInt8(g: OnnxGraph): QuantizeReport {
  const report: QuantizeReport = { tensors: 0, bytesBefore: 0, bytesAfter: 0 };
  const done = new Set<string>();
  const dequant = [];
  for (const node of g.nodes) {
    const name = node.inputs[1];
    const w = name ? g.initializers.get(name) : undefined;
    if (!w || done.has(name) || !(w.data instanceof Float32Array)) continue;
    const axis = channelAxis(node.opType, node.attrs, w.dims.length);
    if (axis === undefined) continue;
    const c = w.dims[axis];
    const inner = w.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
    const maxAbs = new Float32Array(c);
    w.data.forEach((v, i) => {
      const ch = Math.floor(i / inner) % c;
      maxAbs[ch] = Math.max(maxAbs[ch], Math.abs(v));
    });
    const scale = Float32Array.from(maxAbs, (m) => (m > 0 ? m / 127 : 1));
    const q = new Int8Array(w.data.length);
    w.data.forEach((v, i) => {
      const ch = Math.floor(i / inner) % c;
      q[i] = Math.max(-127, Math.min(127, Math.round(v / scale[ch])));
    });
    const qName = g.constant(`${name}_int8`, q, w.dims);
    const sName = g.constant(`${name}_scale`, scale, [c]);
    const zName = g.constant(`${name}_zero_point`, new Int8Array(c), [c]);
    g.initializers.delete(name);
    dequant.push({ opType: 'DequantizeLinear', name: g.uniqueName(`${name}/DequantizeLinear`), inputs: [qName, sName, zName], outputs: [name], attrs: { axis } });
    done.add(name);
    report.tensors++;
    report.bytesBefore += w.data.byteLength;
    report.bytesAfter += q.byteLength + scale.byteLength + c;
  }
  g.nodes.unshift(...dequant);
  return report;
}
