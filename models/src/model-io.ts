import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** Everything a model needs beside its weights to be used and trusted later. */
export interface ModelMetadata {
  /** Feature columns in input order; scoring must build inputs in exactly this order. */
  featureSpec: { features: string[]; windowLength: number; [key: string]: unknown };
  /** Min-max statistics fitted on training data only, per feature in featureSpec order. */
  normalisation: { min: number[]; max: number[] };
  trainingRange: { dataset: string; [key: string]: unknown };
  metrics: Record<string, number>;
  backend: string;
  createdAt: string;
}

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const METADATA_FILE = 'metadata.json';

/** ArrayBuffer of a view's bytes only (a Buffer may share a larger pooled ArrayBuffer). */
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}

function concatWeightData(data: tf.io.WeightData): Uint8Array {
  const buffers = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out;
}

/**
 * Writes model.json (topology + weights manifest, the layout tfjs-node's file:// handler uses),
 * weights.bin and metadata.json into `dir`. Implemented with tfjs IO handlers because the file://
 * scheme only exists in tfjs-node, which does not install everywhere.
 */
export async function saveModel(model: tf.LayersModel, dir: string, metadata: ModelMetadata): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (!(artifacts.modelTopology && artifacts.weightSpecs && artifacts.weightData)) {
        throw new Error('model artifacts lack topology or weights');
      }
      const weights = concatWeightData(artifacts.weightData);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs }],
      };
      await writeFile(path.join(dir, WEIGHTS_FILE), weights);
      await writeFile(path.join(dir, MODEL_FILE), JSON.stringify(modelJson));
      await writeFile(path.join(dir, METADATA_FILE), `${JSON.stringify(metadata, null, 2)}\n`);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.byteLength,
        },
      };
    }),
  );
}

/** A tfjs IO handler that reads what `saveModel` wrote; usable with tf.loadLayersModel. */
export function diskLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const modelJson = JSON.parse(await readFile(path.join(dir, MODEL_FILE), 'utf8')) as tf.io.ModelJSON;
      const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
      // Groups are concatenated in manifest order, which is how tfjs lays out weightData.
      const chunks = await Promise.all(
        modelJson.weightsManifest.flatMap((group) => group.paths.map((p) => readFile(path.join(dir, p)))),
      );
      return {
        modelTopology: modelJson.modelTopology,
        weightSpecs,
        weightData: toArrayBuffer(concatWeightData(chunks.map((c) => toArrayBuffer(c)))),
        format: modelJson.format,
        generatedBy: modelJson.generatedBy,
        convertedBy: modelJson.convertedBy,
      };
    },
  };
}

export async function loadModel(dir: string): Promise<{ model: tf.LayersModel; metadata: ModelMetadata }> {
  const model = await tf.loadLayersModel(diskLoadHandler(dir));
  const metadata = JSON.parse(await readFile(path.join(dir, METADATA_FILE), 'utf8')) as ModelMetadata;
  return { model, metadata };
}
