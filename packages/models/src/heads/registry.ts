import { createArcFace } from './arc-face';
import { createCombinedMargin } from './combined-margin';
import { createCosFace } from './cos-face';
import { createGroupAware } from './group-aware';
import type { Head, HeadDims, HeadFactory } from './head';
import { createSoftmaxCenter } from './softmax-center';
import { createSubCenterArcFace } from './sub-center-arc-face';

const heads = new Map<string, HeadFactory>([
  ['AngularMargin', createArcFace],
  ['SoftmaxCenter', createSoftmaxCenter],
  ['GroupAware', createGroupAware],
  ['CosFace', createCosFace],
  ['CombinedMargin', createCombinedMargin],
  ['SubCenterArcFace', createSubCenterArcFace],
]);

/** The registered head names. */
export function listHeads(): string[] {
  return [...heads.keys()];
}

/** Creates a head by name; an unknown name or parameter throws an Error naming it. */
export function createHead(name: string, params: Record<string, unknown>, dims: HeadDims): Head {
  const factory = heads.get(name);
  if (!factory) throw new Error(`head: unknown head '${name}' (known: ${listHeads().join(', ')})`);
  return factory(params ?? {}, dims);
}
