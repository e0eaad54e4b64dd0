/**
 * ONNX `pads` [top, left, bottom, right] reproducing TF padding for a 2-D window.
 *
 * TF 'same': output = ceil(in / stride); the total padding max((out-1)*stride + k_eff - in, 0)
 * is split with the extra pixel at the bottom/right (k_eff = (k-1)*dilation + 1). Written as
 * explicit pads (not auto_pad) when the input size is known; with an unknown size the only
 * faithful form is auto_pad SAME_UPPER, returned as the string.
 */
export function spatialPads(
  padding: string,
  input: [number | null, number | null],
  kernel: [number, number],
  strides: [number, number],
  dilation: [number, number] = [1, 1],
): number[] | 'SAME_UPPER' {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding !== 'same') throw new Error(`padding '${padding}' is not supported (same, valid)`);
  if (input[0] == null || input[1] == null) return 'SAME_UPPER';
  const before: number[] = [];
  const after: number[] = [];
  for (let i = 0; i < 2; i++) {
    const size = input[i] as number;
    const kEff = (kernel[i] - 1) * dilation[i] + 1;
    const out = Math.ceil(size / strides[i]);
    const total = Math.max((out - 1) * strides[i] + kEff - size, 0);
    before.push(Math.floor(total / 2));
    after.push(total - Math.floor(total / 2));
  }
  return [...before, ...after];
}

/** `pads` or `auto_pad` as ONNX attributes. */
export function padAttrs(p: number[] | 'SAME_UPPER'): Record<string, number[] | string> {
  return p === 'SAME_UPPER' ? { auto_pad: 'SAME_UPPER' } : { pads: p };
}
