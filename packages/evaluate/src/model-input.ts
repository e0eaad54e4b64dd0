/**
 * What an embedding model takes and gives: from the declared input shape, else the exporter's
 * metadata (`input_size` 'HxW', `input_layout`), else FFEM's default 112 x 112 NHWC.
 */
import type { OnnxSession } from '@ffem/ort';

export interface ModelInput {
  inputName: string;
  outputName: string;
  height: number;
  width: number;
  layout: 'NHWC' | 'NCHW';
}

function positive(d: number | string | undefined): number | null {
  return typeof d === 'number' && d > 0 ? d : null;
}

/** Resolves the input size and layout; throws naming the model when they contradict each other. */
export function modelInput(session: Pick<OnnxSession, 'inputs' | 'outputNames' | 'metadata'>, source = 'model'): ModelInput {
  const input = session.inputs[0];
  if (!input) throw new Error(`${source}: the model has no input`);
  const outputName = session.outputNames.includes('embedding') ? 'embedding' : session.outputNames[0];
  const shape = input.shape;
  const meta = session.metadata;
  let layout: 'NHWC' | 'NCHW' = meta.input_layout === 'NCHW' ? 'NCHW' : 'NHWC';
  if (shape.length === 4 && positive(shape[1]) === 3 && positive(shape[3]) !== 3) layout = 'NCHW';
  if (shape.length === 4 && positive(shape[3]) === 3) layout = 'NHWC';
  if (shape.length !== 0 && shape.length !== 4) {
    throw new Error(`${source}: input '${input.name}' has shape [${shape.join(', ')}], expected [N, H, W, 3] or [N, 3, H, W]`);
  }
  let h = shape.length === 4 ? positive(layout === 'NHWC' ? shape[1] : shape[2]) : null;
  let w = shape.length === 4 ? positive(layout === 'NHWC' ? shape[2] : shape[3]) : null;
  const m = /^(\d+)x(\d+)$/.exec(meta.input_size ?? '');
  if (m) {
    const [mh, mw] = [Number(m[1]), Number(m[2])];
    if ((h !== null && h !== mh) || (w !== null && w !== mw)) {
      throw new Error(`${source}: metadata input_size ${meta.input_size} contradicts the input shape [${shape.join(', ')}]`);
    }
    h = mh;
    w = mw;
  }
  return { inputName: input.name, outputName, height: h ?? 112, width: w ?? 112, layout };
}
