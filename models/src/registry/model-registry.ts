import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AftercareError, type DeviceModel, deviceModels, type Logger, silentLogger } from '@aftercare/core';
import type * as tf from '@tensorflow/tfjs';
import { type FleetModelMetadata, fleetModelMetadataSchema } from '../fleet/fleet-metadata.ts';
import { loadModel, parseSavedJson, readSavedJson, SavedModelError, saveModel } from '../model-io.ts';
import { type ActiveFile, type ActivePointer, readActiveFile } from './active-file.ts';
import { modelFilesProblem } from './model-files.ts';

export class ModelRegistryError extends AftercareError {}

export interface RegistryEntry {
  deviceModel: DeviceModel;
  version: string;
  active: boolean;
  createdAt: string;
  metrics: Record<string, number>;
}

/**
 * A version on disk that cannot be used: its metadata cannot be read (naming the file and the field),
 * or its model files are missing or cut short (naming the file).
 */
export interface UnreadableVersion {
  deviceModel: DeviceModel;
  version: string;
  active: boolean;
  problem: string;
}

/** Everything on disk: the versions, and the active.json files that cannot be used and why. */
export interface RegistryInventory {
  /** Oldest first per device model; one whose metadata is wrong says why. */
  versions: (RegistryEntry | UnreadableVersion)[];
  /** Device models none of whose versions is active because their active.json is damaged or stale. */
  activeFileProblems: { deviceModel: DeviceModel; problem: string }[];
}

/** The version scoring should use, loaded (and cached by version). */
export interface ActiveModel {
  deviceModel: DeviceModel;
  version: string;
  model: tf.LayersModel;
  metadata: FleetModelMetadata;
}

export interface ModelRegistry {
  /** Stores a trained model as the next version (`v1`, `v2`, …); activates it when asked. */
  save(
    trained: { model: tf.LayersModel; metadata: FleetModelMetadata },
    options?: { activate?: boolean },
  ): Promise<string>;
  /** Versions with valid metadata, oldest first per device model. */
  list(deviceModel?: DeviceModel): Promise<RegistryEntry[]>;
  /** Every version on disk, and every active.json that cannot be used; neither hides the rest. */
  inventory(deviceModel?: DeviceModel): Promise<RegistryInventory>;
  /** Makes a version whose metadata and model files are sound active; replaces a damaged active.json. */
  activate(deviceModel: DeviceModel, version: string): Promise<void>;
  /** Back to the previously active version; returns it. */
  rollback(deviceModel: DeviceModel): Promise<string>;
  /**
   * The active version, loaded. Re-checks the active file on every call (one stat), so an
   * activation or rollback by another process takes effect at the next scoring run. A damaged
   * active.json throws MODELS_BAD_ACTIVE_FILE, its message one line naming the file.
   */
  active(deviceModel: DeviceModel): Promise<ActiveModel | null>;
  /** Frees the cached models. */
  close(): void;
}

export interface ModelRegistryOptions {
  /** `AFTERCARE_DATA_DIR`: models live under `<dataDir>/models/<deviceModel>/<version>/`. */
  dataDir: string;
  /** Loaded versions kept per device model (default 3). */
  cachePerModel?: number;
  logger?: Logger;
}

const versionPattern = /^v(\d+)$/;

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => null))?.isDirectory() ?? false;
}

/**
 * Versioned fleet models on disk, one active version per device model. The active pointer is a
 * JSON file replaced atomically (write a temp file, rename over), and versions are published by
 * renaming a fully written temp folder, so a reader never sees half a model or half a pointer.
 */
export function createModelRegistry(options: ModelRegistryOptions): ModelRegistry {
  const root = path.join(options.dataDir, 'models');
  const log = (options.logger ?? silentLogger).child({ component: 'model-registry' });
  const cacheLimit = options.cachePerModel ?? 3;
  const cache = new Map<string, ActiveModel>();
  const pointers = new Map<DeviceModel, { key: string; file: ActiveFile | null }>();

  const modelDir = (deviceModel: DeviceModel) => {
    if (!deviceModels.includes(deviceModel)) {
      throw new ModelRegistryError('MODELS_UNKNOWN_DEVICE_MODEL', `unknown device model ${deviceModel}`);
    }
    return path.join(root, deviceModel);
  };
  const activePath = (deviceModel: DeviceModel) => path.join(modelDir(deviceModel), 'active.json');

  async function versions(deviceModel: DeviceModel): Promise<string[]> {
    try {
      const names = await readdir(modelDir(deviceModel));
      return names
        .filter((n) => versionPattern.test(n))
        .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
    } catch (err) {
      if (isMissing(err)) return [];
      throw err;
    }
  }

  async function readMetadata(deviceModel: DeviceModel, version: string): Promise<FleetModelMetadata> {
    const dir = path.join(modelDir(deviceModel), version);
    const file = path.join(dir, 'metadata.json');
    let metadata: FleetModelMetadata;
    try {
      metadata = parseSavedJson(fleetModelMetadataSchema, await readSavedJson(file), file);
    } catch (err) {
      if (isMissing(err) && !(await isDirectory(dir))) {
        throw new ModelRegistryError(
          'MODELS_UNKNOWN_VERSION',
          `${deviceModel} has no model version ${version}`,
        );
      }
      // Not valid JSON, a field that is wrong, or a file that is missing or cannot be read.
      const problem =
        err instanceof SavedModelError
          ? err.message
          : isMissing(err)
            ? `${file} is missing`
            : `${file}: ${(err as Error).message}`;
      throw new ModelRegistryError('MODELS_BAD_METADATA', problem, { cause: err });
    }
    if (metadata.deviceModel !== deviceModel) {
      throw new ModelRegistryError(
        'MODELS_BAD_METADATA',
        `${file}: a ${metadata.deviceModel} model filed under ${deviceModel}`,
      );
    }
    return metadata;
  }

  /**
   * Checks a version before the active pointer moves to it: its metadata, and its model files, so a
   * version scoring could not load is refused now with why rather than failing at the next run.
   */
  async function checkUsable(deviceModel: DeviceModel, version: string, refused: string): Promise<void> {
    try {
      await readMetadata(deviceModel, version);
    } catch (err) {
      if (!(err instanceof ModelRegistryError) || err.code !== 'MODELS_BAD_METADATA') throw err;
      throw new ModelRegistryError(
        'MODELS_BAD_METADATA',
        `${deviceModel} ${version} ${refused}: ${err.message}`,
        {
          cause: err,
        },
      );
    }
    const problem = await modelFilesProblem(path.join(modelDir(deviceModel), version));
    if (problem) {
      throw new ModelRegistryError(
        'MODELS_BAD_MODEL_FILES',
        `${deviceModel} ${version} ${refused}: ${problem}`,
      );
    }
  }

  /** active.json, and whether the version it names is there: a pointer to nothing is a problem too. */
  async function readPointer(deviceModel: DeviceModel): Promise<ActivePointer> {
    const file = activePath(deviceModel);
    const pointer = await readActiveFile(file);
    if (pointer.file && !(await isDirectory(path.join(modelDir(deviceModel), pointer.file.version)))) {
      return { ...pointer, problem: `${file}: names version ${pointer.file.version}, which does not exist` };
    }
    return pointer;
  }

  async function writeActive(deviceModel: DeviceModel, file: ActiveFile): Promise<void> {
    const target = activePath(deviceModel);
    const temp = `${target}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`);
    await rename(temp, target);
  }

  async function load(deviceModel: DeviceModel, version: string): Promise<ActiveModel> {
    const key = `${deviceModel}/${version}`;
    const cached = cache.get(key);
    if (cached) {
      // Most recently used last, so eviction takes the oldest.
      cache.delete(key);
      cache.set(key, cached);
      return cached;
    }
    const metadata = await readMetadata(deviceModel, version);
    const { model } = await loadModel(path.join(modelDir(deviceModel), version));
    const entry: ActiveModel = { deviceModel, version, model, metadata };
    cache.set(key, entry);
    const ofModel = [...cache.keys()].filter((k) => k.startsWith(`${deviceModel}/`));
    for (const old of ofModel.slice(0, Math.max(0, ofModel.length - cacheLimit))) {
      cache.get(old)?.model.dispose();
      cache.delete(old);
    }
    log.info({ deviceModel, version }, 'model version loaded');
    return entry;
  }

  return {
    async save(trained, saveOptions = {}) {
      const deviceModel = trained.metadata.deviceModel;
      const metadata = fleetModelMetadataSchema.parse(trained.metadata);
      const dir = modelDir(deviceModel);
      await mkdir(dir, { recursive: true });
      const temp = path.join(dir, `.saving-${process.pid}-${randomUUID()}`);
      await saveModel(trained.model, temp, metadata);
      for (let attempt = 0; ; attempt++) {
        const existing = await versions(deviceModel);
        const next = `v${existing.length === 0 ? 1 : Number(existing[existing.length - 1]!.slice(1)) + 1}`;
        try {
          await rename(temp, path.join(dir, next));
        } catch (err) {
          // Another process published the same number first: take the next one.
          const code = (err as NodeJS.ErrnoException).code;
          if ((code === 'ENOTEMPTY' || code === 'EEXIST') && attempt < 20) continue;
          await rm(temp, { recursive: true, force: true });
          throw err;
        }
        log.info({ deviceModel, version: next }, 'model version saved');
        if (saveOptions.activate) await this.activate(deviceModel, next);
        return next;
      }
    },

    async list(deviceModel) {
      const inventory = await this.inventory(deviceModel);
      for (const broken of inventory.activeFileProblems) {
        log.warn({ ...broken }, 'no active model version: active.json cannot be used');
      }
      const entries: RegistryEntry[] = [];
      for (const entry of inventory.versions) {
        if ('problem' in entry) {
          // One unreadable version must not hide the others; it cannot be activated either.
          log.warn({ ...entry }, 'model version skipped: metadata unreadable');
          continue;
        }
        entries.push(entry);
      }
      return entries;
    },

    async inventory(deviceModel) {
      const inventory: RegistryInventory = { versions: [], activeFileProblems: [] };
      for (const m of deviceModel ? [deviceModel] : deviceModels) {
        const pointer = await readPointer(m);
        if (pointer.problem) inventory.activeFileProblems.push({ deviceModel: m, problem: pointer.problem });
        const active = pointer.problem ? null : pointer.file;
        for (const version of await versions(m)) {
          const isActive = active?.version === version;
          try {
            const { createdAt, metrics } = await readMetadata(m, version);
            // Weights missing or cut short: listed as unusable, as activate would refuse it.
            const files = await modelFilesProblem(path.join(modelDir(m), version));
            if (files) inventory.versions.push({ deviceModel: m, version, active: isActive, problem: files });
            else inventory.versions.push({ deviceModel: m, version, active: isActive, createdAt, metrics });
          } catch (err) {
            if (!(err instanceof ModelRegistryError)) throw err;
            inventory.versions.push({ deviceModel: m, version, active: isActive, problem: err.message });
          }
        }
      }
      return inventory;
    },

    async activate(deviceModel, version) {
      await checkUsable(deviceModel, version, 'cannot be activated');
      const { file: current, problem } = await readPointer(deviceModel);
      if (!problem && current?.version === version) return;
      // A damaged file is replaced (that is how it is repaired); of a stale one, the history stays.
      const previous = current ? (problem ? current.previous : [...current.previous, current.version]) : [];
      await writeActive(deviceModel, { version, previous, activatedAt: new Date().toISOString() });
      if (problem) log.warn({ deviceModel, problem }, 'active.json replaced: it could not be used');
      log.info({ deviceModel, version, was: current?.version ?? null }, 'model version activated');
    },

    async rollback(deviceModel) {
      const { file: current, problem } = await readPointer(deviceModel);
      const previous = current?.previous ?? [];
      const back = previous[previous.length - 1];
      if (!back) {
        throw new ModelRegistryError(
          'MODELS_NO_PREVIOUS_VERSION',
          `${deviceModel} has no previously active model version to roll back to${
            problem ? `: ${problem} (activate a version to replace it)` : ''
          }`,
        );
      }
      await checkUsable(deviceModel, back, 'cannot be rolled back to');
      await writeActive(deviceModel, {
        version: back,
        previous: previous.slice(0, -1),
        activatedAt: new Date().toISOString(),
      });
      log.info({ deviceModel, version: back, was: current?.version ?? null }, 'model version rolled back');
      return back;
    },

    async active(deviceModel) {
      let key: string;
      try {
        // A rename gives the file a new inode: with mtime and size it tells a rewrite apart.
        const s = await stat(activePath(deviceModel));
        key = `${s.ino}:${s.mtimeMs}:${s.size}`;
      } catch (err) {
        if (isMissing(err)) {
          pointers.delete(deviceModel);
          return null;
        }
        throw err;
      }
      let pointer = pointers.get(deviceModel);
      if (!pointer || pointer.key !== key) {
        const read = await readPointer(deviceModel);
        if (read.problem) {
          // Not cached: a version folder put back makes the same file usable again.
          pointers.delete(deviceModel);
          throw new ModelRegistryError('MODELS_BAD_ACTIVE_FILE', read.problem);
        }
        pointer = { key, file: read.file };
        pointers.set(deviceModel, pointer);
      }
      if (!pointer.file) return null;
      return load(deviceModel, pointer.file.version);
    },

    close() {
      for (const entry of cache.values()) entry.model.dispose();
      cache.clear();
      pointers.clear();
    },
  };
}
