import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
// The custom layers must be registered before any model is deserialised.
import '../layers/norm-aware-reweight';
import '../layers/group-weighted-sum';
import '../layers/scaleless-batch-norm';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

function joinWeightData(data: tf.io.WeightData): ArrayBuffer {
  return tf.io.CompositeArrayBuffer.join(data);
}

/** An IOHandler writing tfjs' layers format (model.json + one weights.bin) into a directory. */
function dirSaveHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (!(artifacts.modelTopology && !(artifacts.modelTopology instanceof ArrayBuffer))) {
        throw new Error(`${dir}: saveModel: the model gave no JSON topology`);
      }
      const weights = artifacts.weightData ? Buffer.from(joinWeightData(artifacts.weightData)) : Buffer.alloc(0);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      fs.writeFileSync(path.join(dir, WEIGHTS_BIN), weights);
      fs.writeFileSync(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/** An IOHandler reading a directory written by saveModel (or by tfjs' own file:// saver). */
function dirLoadHandler(dir: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = path.join(dir, MODEL_JSON);
      if (!fs.existsSync(jsonPath)) throw new Error(`${jsonPath}: loadModel: no such file`);
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as tf.io.ModelJSON;
      } catch (e) {
        throw new Error(`${jsonPath}: loadModel: not JSON: ${(e as Error).message}`);
      }
      if (!json.modelTopology) throw new Error(`${jsonPath}: modelTopology: missing`);
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of json.weightsManifest ?? []) {
        for (const p of group.paths) {
          const file = path.join(dir, p);
          if (!fs.existsSync(file)) throw new Error(`${jsonPath}: weightsManifest: missing weights file ${file}`);
          buffers.push(fs.readFileSync(file));
        }
        specs.push(...group.weights);
      }
      const all = Buffer.concat(buffers);
      const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
      if (all.length < expected) throw new Error(`${dir}: weights: ${all.length} bytes, the manifest needs ${expected}`);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer,
        userDefinedMetadata: json.userDefinedMetadata,
      };
    },
  };
}

/**
 * Saves a LayersModel as `dir/model.json` + `dir/weights.bin` (tfjs layers format), atomically:
 * written to `<dir>.tmp-<pid>`, then renamed over `dir` (an existing `dir` is replaced).
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  const target = path.resolve(dir);
  const tmp = `${target}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    await model.save(dirSaveHandler(tmp));
    if (fs.existsSync(target)) {
      const old = `${target}.old-${process.pid}`;
      fs.rmSync(old, { recursive: true, force: true });
      fs.renameSync(target, old);
      fs.renameSync(tmp, target);
      fs.rmSync(old, { recursive: true, force: true });
    } else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(tmp, target);
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Loads a model saved by saveModel (the custom layers of this package are registered). */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(dirLoadHandler(path.resolve(dir)));
}
