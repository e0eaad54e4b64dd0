/**
 * A tensor flowing through the exported graph. `shape` is always the Keras (logical, NHWC) shape;
 * `layout` says how the ONNX tensor stores it: 'logical' as is, 'channels-first' with the last
 * axis moved to position 1 (NHWC -> NCHW), the layout ONNX convolutions and pools need.
 */
export type Layout = 'logical' | 'channels-first';

export interface Value {
  name: string;
  shape: (number | null)[];
  layout: Layout;
}

/** Permutation taking a logical tensor of rank `rank` to channels-first. */
export function toChannelsFirstPerm(rank: number): number[] {
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}

/** Permutation taking a channels-first tensor back to logical. */
export function toLogicalPerm(rank: number): number[] {
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
}

/** Normalizes a possibly negative Keras axis. */
export function normAxis(axis: number, rank: number, what: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new Error(`${what}: axis ${axis} out of range for rank ${rank}`);
  return a;
}

/** Where logical axis `axis` lives in the stored tensor. */
export function physicalAxis(v: Value, axis: number, what = v.name): number {
  const rank = v.shape.length;
  const a = normAxis(axis, rank, what);
  if (v.layout === 'logical' || a === 0) return a;
  return a === rank - 1 ? 1 : a + 1;
}

/** The physical shape of a value (logical shape permuted as stored). */
export function physicalShape(v: Value): (number | null)[] {
  if (v.layout === 'logical') return [...v.shape];
  return toChannelsFirstPerm(v.shape.length).map((i) => v.shape[i]);
}
