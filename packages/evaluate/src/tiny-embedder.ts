/**
 * A tiny embedding model for tests and smoke runs: input `input` float32 [N, H, W, 3], output
 * `embedding` [N, D] = reshape(input, [N, H*W*3]) x W with a seeded random W (a random projection:
 * content-dependent, so similar crops get similar embeddings). Carries the exporter's metadata keys.
 */
import { buildOnnxModel } from './onnx-graph';
import { seededRandom } from './random';

export interface TinyEmbedder {
  bytes: Uint8Array;
  /** The projection, [H*W*3, D] row-major, to recompute embeddings in tests. */
  weights: Float32Array;
}

export function tinyEmbedder(height: number, width: number, dim: number, seed = 1): TinyEmbedder {
  const inDim = height * width * 3;
  const rnd = seededRandom(seed);
  const weights = new Float32Array(inDim * dim);
  for (let i = 0; i < weights.length; i++) weights[i] = (rnd() - 0.5) / Math.sqrt(inDim);
  const bytes = buildOnnxModel({
    producer: 'tiny-embedder',
    inputs: [{ name: 'input', type: 'float32', shape: ['batch', height, width, 3] }],
    outputs: [{ name: 'embedding', type: 'float32', shape: ['batch', dim] }],
    initializers: [
      { name: 'shape', type: 'int64', dims: [2], values: [-1, inDim] },
      { name: 'W', type: 'float32', dims: [inDim, dim], values: weights },
    ],
    nodes: [
      { op: 'Reshape', inputs: ['input', 'shape'], outputs: ['flat'] },
      { op: 'MatMul', inputs: ['flat', 'W'], outputs: ['embedding'] },
    ],
    metadata: { model_name: 'tiny-embedder', embedding_size: String(dim), input_size: `${height}x${width}`, input_layout: 'NHWC' },
  });
  return { bytes, weights };
}

/** The same projection in TypeScript (float64 accumulation). */
export function tinyEmbed(weights: Float32Array, x: Float32Array, dim: number): Float32Array {
  const inDim = x.length;
  const out = new Float32Array(dim);
  for (let j = 0; j < dim; j++) {
    let s = 0;
    for (let i = 0; i < inDim; i++) s += x[i] * weights[i * dim + j];
    out[j] = s;
  }
  return out;
}
