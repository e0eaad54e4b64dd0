/** The model configuration (what `buildModels` takes) and its one resolution step. */

export interface ModelConfig {
  /** Backbone registry name: 'resnet50v2' | 'resnet18' | 'resnet34' | 'tiny' (see listBackbones()). */
  backbone: string;
  /** [H, W, C]; default [112, 112, 3]. C must be 3 (RGB). */
  inputShape?: [number, number, number];
  /** Embedding width D; default 512. */
  embeddingDim?: number;
  /** 'gnap' (Global Norm-Aware Pooling, default) or 'gap' (plain global average pooling). */
  pooling?: 'gnap' | 'gap';
  /**
   * Over what GNAP takes the mean feature norm: 'image' (default: per image, so an embedding
   * never depends on the rest of its batch) or 'batch' (the original FFEM: over the whole batch).
   */
  gnapMean?: 'image' | 'batch';
  /** L2 factor on kernels (Keras `regularizers.l2`: wd * sum(w^2)); default 5e-4. */
  weightDecay?: number;
  /**
   * Which kernels carry `weightDecay`: 'embedding' (default, as the original: the embedding Dense
   * and, for GroupAware, the GroupFace Dense layers) or 'all' (every Conv2D and Dense kernel).
   */
  weightDecayScope?: 'embedding' | 'all';
  /** The head (loss) name; 'GroupAware' adds the GroupFace layers to the embedding path. */
  head?: string;
  /** GroupFace sizes; defaults numGroups 4, intermediateDim 256. */
  groupFace?: { numGroups?: number; intermediateDim?: number };
  /** Backbone-specific options, e.g. tiny: { widths: number[]; blocks: number[] }. */
  backboneOptions?: Record<string, unknown>;
  /** Initialiser seed for reproducible weights (each layer gets seed + its index). */
  seed?: number;
}

export interface ResolvedModelConfig {
  backbone: string;
  inputShape: [number, number, number];
  embeddingDim: number;
  pooling: 'gnap' | 'gap';
  gnapMean: 'image' | 'batch';
  weightDecay: number;
  weightDecayScope: 'embedding' | 'all';
  head: string | undefined;
  groupFace: { numGroups: number; intermediateDim: number };
  backboneOptions: Record<string, unknown>;
  seed: number | undefined;
}

const KEYS = new Set([
  'backbone', 'inputShape', 'embeddingDim', 'pooling', 'gnapMean', 'weightDecay', 'weightDecayScope',
  'head', 'groupFace', 'backboneOptions', 'seed',
]);

function fail(field: string, what: string): never {
  throw new Error(`model config: ${field}: ${what}`);
}

function positiveInt(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(field, `expected a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

function oneOf<T extends string>(field: string, v: unknown, allowed: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if (!allowed.includes(v as T)) fail(field, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

/** Fills in every default and rejects unknown keys and wrong types, naming the field. */
export function resolveModelConfig(cfg: ModelConfig): ResolvedModelConfig {
  for (const k of Object.keys(cfg)) if (!KEYS.has(k)) fail(k, 'unknown key');
  if (typeof cfg.backbone !== 'string' || !cfg.backbone) fail('backbone', 'expected a backbone name');
  const inputShape = cfg.inputShape ?? [112, 112, 3];
  if (!Array.isArray(inputShape) || inputShape.length !== 3) fail('inputShape', 'expected [H, W, 3]');
  inputShape.forEach((v, i) => positiveInt(`inputShape[${i}]`, v));
  if (inputShape[2] !== 3) fail('inputShape[2]', `expected 3 channels (RGB), got ${inputShape[2]}`);
  const weightDecay = cfg.weightDecay ?? 5e-4;
  if (typeof weightDecay !== 'number' || !(weightDecay >= 0)) fail('weightDecay', `expected a number >= 0, got ${JSON.stringify(weightDecay)}`);
  const gf = cfg.groupFace ?? {};
  for (const k of Object.keys(gf)) if (k !== 'numGroups' && k !== 'intermediateDim') fail(`groupFace.${k}`, 'unknown key');
  if (cfg.seed !== undefined && (typeof cfg.seed !== 'number' || !Number.isInteger(cfg.seed))) fail('seed', 'expected an integer');
  if (cfg.head !== undefined && typeof cfg.head !== 'string') fail('head', 'expected a head name');
  const backboneOptions = cfg.backboneOptions ?? {};
  if (typeof backboneOptions !== 'object' || backboneOptions === null || Array.isArray(backboneOptions)) {
    fail('backboneOptions', 'expected an object');
  }
  return {
    backbone: cfg.backbone,
    inputShape: [inputShape[0], inputShape[1], inputShape[2]],
    embeddingDim: positiveInt('embeddingDim', cfg.embeddingDim ?? 512),
    pooling: oneOf('pooling', cfg.pooling, ['gnap', 'gap'] as const, 'gnap'),
    gnapMean: oneOf('gnapMean', cfg.gnapMean, ['image', 'batch'] as const, 'image'),
    weightDecay,
    weightDecayScope: oneOf('weightDecayScope', cfg.weightDecayScope, ['embedding', 'all'] as const, 'embedding'),
    head: cfg.head,
    groupFace: {
      numGroups: positiveInt('groupFace.numGroups', gf.numGroups ?? 4),
      intermediateDim: positiveInt('groupFace.intermediateDim', gf.intermediateDim ?? 256),
    },
    backboneOptions,
    seed: cfg.seed,
  };
}
