import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '@ffem/data';
import { loadModel } from '@ffem/models';
import { exportWithReport, type ExportOptions, type ExportReport } from './export-onnx';
import { verifyOnnx, type VerifyResult } from './verify';
import { loadVerifyImages } from './verify-images';

export interface ExportModelDirOptions extends ExportOptions {
  /** Compare the ONNX file with tfjs on random inputs and face crops; fail below thresholds. */
  verify?: boolean;
  /** Folder of face images (with or without image_list.json) for `verify`. */
  verifyImages?: string;
  /** Progress lines (stage names); default none. */
  onStage?: (stage: string) => void;
}

export interface ExportModelDirResult extends Omit<ExportReport, 'bytes'> {
  output: string;
  fileBytes: number;
  verify?: { random: VerifyResult; images?: VerifyResult };
}

/** Files holding the training configuration that a model folder may carry (hashed into metadata). */
const CONFIG_FILES = ['config.json', 'training_config.json', 'train_config.json'];

/** sha256 of the training config in `dir` (or its parent, for checkpoints), else 'unknown'. */
export function configHash(dir: string): string {
  for (const d of [dir, path.dirname(dir)]) {
    for (const name of CONFIG_FILES) {
      const p = path.join(d, name);
      if (fs.existsSync(p)) return `sha256:${crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`;
    }
  }
  return 'unknown';
}

/**
 * The folder holding `model.json`: `dir` itself, or `dir/model` for a training run folder (where
 * `ffem train` saves the inference model). A bare checkpoint folder is refused with a hint:
 * checkpoints hold training state, not a model topology.
 */
export function resolveModelDir(dir: string): string {
  if (fs.existsSync(path.join(dir, 'model.json'))) return dir;
  if (fs.existsSync(path.join(dir, 'model', 'model.json'))) return path.join(dir, 'model');
  if (fs.existsSync(path.join(dir, 'checkpoint.json')) || fs.existsSync(path.join(dir, 'latest.json'))) {
    throw new Error(
      `${dir}: is a training checkpoint, not a saved model; export the run's inference model ` +
        `(<run>/model, written by ffem train) instead`,
    );
  }
  throw new Error(`${path.join(dir, 'model.json')}: no such file (expected a saved model folder or a training run folder)`);
}

function assertVerified(what: string, r: VerifyResult, fp32: boolean): void {
  if (fp32 && !r.ok) {
    throw new Error(
      `verify (${what}): min cosine ${r.minCosine} / relative max diff ${r.relMaxDiff.toExponential(3)} ` +
        `outside the limits (cosine >= 0.99999, rel diff <= 1e-4); no file written`,
    );
  }
}

/**
 * Loads the model saved in `dir` (through `@ffem/models` `loadModel`), exports it to `output`
 * (atomically) and, with `verify`, first checks it against tfjs on random inputs and on face
 * crops (`verifyImages`). An int8 export is always compared with fp32 tfjs and reported, but it
 * cannot meet the fp32 limits, so only fp32 exports fail on them. Nothing is written when
 * anything fails.
 */
export async function exportModelDir(dir: string, output: string, opts: ExportModelDirOptions = {}): Promise<ExportModelDirResult> {
  const stage = opts.onStage ?? (() => undefined);
  stage('load');
  dir = resolveModelDir(dir);
  const model: tf.LayersModel = await loadModel(dir);
  stage('convert');
  const report = exportWithReport(model, { ...opts, metadata: { config_hash: configHash(dir), ...(opts.metadata ?? {}) } });
  let verify: ExportModelDirResult['verify'];
  // An int8 export is always compared (its accuracy effect is part of its report).
  if (opts.verify || opts.quantize === 'int8') {
    const fp32 = opts.quantize === undefined;
    stage('verify: random inputs');
    const random = await verifyOnnx(model, report.bytes);
    assertVerified('random inputs', random, fp32);
    let images: VerifyResult | undefined;
    if (opts.verifyImages) {
      stage('verify: face crops');
      const [h, w] = model.inputs[0].shape.slice(1, 3) as number[];
      const x = await loadVerifyImages(opts.verifyImages, h, w);
      try {
        images = await verifyOnnx(model, report.bytes, x);
      } finally {
        x.dispose();
      }
      assertVerified('face crops', images, fp32);
    }
    verify = { random, images };
  }
  stage('write');
  writeFileAtomic(output, report.bytes);
  const { bytes, ...rest } = report;
  return { ...rest, output, fileBytes: bytes.length, verify };
}
