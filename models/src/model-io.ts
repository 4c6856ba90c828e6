import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AftercareError } from '@aftercare/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

/** A file of a saved model that cannot be what it should be: which file, and what is wrong with it. */
export class SavedModelError extends AftercareError {
  constructor(
    readonly file: string,
    /** What is wrong, after the file's name and a colon: "not valid JSON". */
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super('MODELS_SAVED_MODEL_INVALID', `${file}: ${problem}`, options);
  }
}

/** Reads a JSON file of a saved model; text that does not parse is blamed on the file by name. */
export async function readSavedJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SavedModelError(file, 'not valid JSON', { cause: err });
  }
}

/**
 * Everything a model needs beside its weights to be used and trusted later. Loose objects: a kind of
 * model keeps its own fields beside these (a fleet model's targets, an ensemble member's units), and
 * reading the file back must not drop them.
 */
export const modelMetadataSchema = z.looseObject({
  /** Feature columns in input order; scoring must build inputs in exactly this order. */
  featureSpec: z.looseObject({ features: z.array(z.string()), windowLength: z.number().int().positive() }),
  /** Min-max statistics fitted on training data only, per feature in featureSpec order. */
  normalisation: z.looseObject({ min: z.array(z.number()), max: z.array(z.number()) }),
  trainingRange: z.looseObject({ dataset: z.string() }),
  metrics: z.record(z.string(), z.number()),
  backend: z.string(),
  createdAt: z.string(),
});
export type ModelMetadata = z.infer<typeof modelMetadataSchema>;

/**
 * `json`, read from `file`, as `schema` says it must be; otherwise a SavedModelError naming the file
 * and the first field that is wrong ("metrics.seed: Invalid input: expected number, received string").
 */
export function parseSavedJson<T>(schema: z.ZodType<T>, json: unknown, file: string): T {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new SavedModelError(file, `${issue.path.join('.') || 'the file'}: ${issue.message}`);
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

const BYTES_PER_VALUE: Partial<Record<string, number>> = { float32: 4, int32: 4, bool: 1, complex64: 8 };

/** Bytes the weights of a manifest take; null when it cannot be told without decoding (quantised, strings). */
function manifestBytes(specs: tf.io.WeightsManifestEntry[]): number | null {
  let bytes = 0;
  for (const spec of specs) {
    const size = BYTES_PER_VALUE[spec.dtype];
    if (spec.quantization || size === undefined) return null;
    bytes += spec.shape.reduce((n, d) => n * d, 1) * size;
  }
  return bytes;
}

/** A tfjs IO handler that reads what `saveModel` wrote; usable with tf.loadLayersModel. */
export function diskLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const modelFile = path.join(dir, MODEL_FILE);
      const modelJson = (await readSavedJson(modelFile)) as tf.io.ModelJSON;
      if (!(modelJson && Array.isArray(modelJson.weightsManifest) && modelJson.modelTopology))
        throw new SavedModelError(modelFile, 'no model topology or weights manifest');
      const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
      // Groups are concatenated in manifest order, which is how tfjs lays out weightData.
      const files = modelJson.weightsManifest.flatMap((group) => group.paths.map((p) => path.join(dir, p)));
      const chunks = await Promise.all(files.map((file) => readFile(file)));
      const weightData = toArrayBuffer(concatWeightData(chunks.map((c) => toArrayBuffer(c))));
      // A truncated or foreign weights file would otherwise fail inside tfjs, naming a tensor shape.
      const expected = manifestBytes(weightSpecs);
      if (expected !== null && weightData.byteLength !== expected) {
        throw new SavedModelError(
          files.length === 1 ? files[0]! : dir,
          `${weightData.byteLength.toLocaleString('en')} bytes of weights where ${MODEL_FILE} describes ${expected.toLocaleString('en')}`,
        );
      }
      return {
        modelTopology: modelJson.modelTopology,
        weightSpecs,
        weightData,
        format: modelJson.format,
        generatedBy: modelJson.generatedBy,
        convertedBy: modelJson.convertedBy,
      };
    },
  };
}

/**
 * Loads what `saveModel` wrote, its metadata.json checked against `schema` (the fields every model
 * has, unless a kind of model asks for more). A file that is there but wrong throws a SavedModelError
 * naming it; a file that is missing, the file system's own error (ENOENT with its path).
 */
export async function loadModel(dir: string): Promise<{ model: tf.LayersModel; metadata: ModelMetadata }>;
export async function loadModel<M extends ModelMetadata>(
  dir: string,
  schema: z.ZodType<M>,
): Promise<{ model: tf.LayersModel; metadata: M }>;
export async function loadModel(
  dir: string,
  schema: z.ZodType<ModelMetadata> = modelMetadataSchema,
): Promise<{ model: tf.LayersModel; metadata: ModelMetadata }> {
  // Read first: a metadata file that is wrong then costs no weights to free.
  const metadataFile = path.join(dir, METADATA_FILE);
  const metadata = parseSavedJson(schema, await readSavedJson(metadataFile), metadataFile);
  const model = await tf.loadLayersModel(diskLoadHandler(dir)).catch((err: NodeJS.ErrnoException) => {
    if (err instanceof SavedModelError || err.code !== undefined) throw err;
    // tfjs could not build the layers model.json describes.
    throw new SavedModelError(
      path.join(dir, MODEL_FILE),
      `not a model tfjs can build (${err.message.split('\n')[0]!.replace(/\. .*$/, '')})`,
      {
        cause: err,
      },
    );
  });
  return { model, metadata };
}
