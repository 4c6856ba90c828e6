import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AftercareError, type DeviceModel, deviceModels, type Logger, silentLogger } from '@aftercare/core';
import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { type FleetModelMetadata, fleetModelMetadataSchema } from '../fleet/fleet-metadata.ts';
import { loadModel, parseSavedJson, readSavedJson, SavedModelError, saveModel } from '../model-io.ts';

export class ModelRegistryError extends AftercareError {}

/** The small file naming a device model's active version, and the versions active before it. */
const activeFileSchema = z.strictObject({
  version: z.string().regex(/^v\d+$/),
  /** Previously active versions, oldest first: `rollback` goes back to the last one. */
  previous: z.array(z.string().regex(/^v\d+$/)),
  activatedAt: z.string(),
});
type ActiveFile = z.infer<typeof activeFileSchema>;

export interface RegistryEntry {
  deviceModel: DeviceModel;
  version: string;
  active: boolean;
  createdAt: string;
  metrics: Record<string, number>;
}

/** A version on disk whose metadata cannot be read: what is wrong, naming the file and the field. */
export interface UnreadableVersion {
  deviceModel: DeviceModel;
  version: string;
  active: boolean;
  problem: string;
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
  /** Every version on disk, oldest first per device model; one whose metadata is wrong says why. */
  inventory(deviceModel?: DeviceModel): Promise<(RegistryEntry | UnreadableVersion)[]>;
  activate(deviceModel: DeviceModel, version: string): Promise<void>;
  /** Back to the previously active version; returns it. */
  rollback(deviceModel: DeviceModel): Promise<string>;
  /**
   * The active version, loaded. Re-checks the active file on every call (one stat), so an
   * activation or rollback by another process takes effect at the next scoring run.
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
      if (isMissing(err) && !(await stat(dir).catch(() => null))?.isDirectory()) {
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

  /** A version's metadata before the active pointer moves to it; a broken version is refused with why. */
  async function readUsable(deviceModel: DeviceModel, version: string, refused: string) {
    try {
      return await readMetadata(deviceModel, version);
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
  }

  async function readActive(deviceModel: DeviceModel): Promise<ActiveFile | null> {
    try {
      return activeFileSchema.parse(JSON.parse(await readFile(activePath(deviceModel), 'utf8')));
    } catch (err) {
      if (isMissing(err)) return null;
      throw new ModelRegistryError(
        'MODELS_BAD_ACTIVE_FILE',
        `${activePath(deviceModel)}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
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
      const entries: RegistryEntry[] = [];
      for (const entry of await this.inventory(deviceModel)) {
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
      const entries: (RegistryEntry | UnreadableVersion)[] = [];
      for (const m of deviceModel ? [deviceModel] : deviceModels) {
        const active = await readActive(m);
        for (const version of await versions(m)) {
          const isActive = active?.version === version;
          try {
            const { createdAt, metrics } = await readMetadata(m, version);
            entries.push({ deviceModel: m, version, active: isActive, createdAt, metrics });
          } catch (err) {
            if (!(err instanceof ModelRegistryError)) throw err;
            entries.push({ deviceModel: m, version, active: isActive, problem: err.message });
          }
        }
      }
      return entries;
    },

    async activate(deviceModel, version) {
      await readUsable(deviceModel, version, 'cannot be activated');
      const current = await readActive(deviceModel);
      if (current?.version === version) return;
      const previous = current ? [...current.previous, current.version] : [];
      await writeActive(deviceModel, { version, previous, activatedAt: new Date().toISOString() });
      log.info({ deviceModel, version, was: current?.version ?? null }, 'model version activated');
    },

    async rollback(deviceModel) {
      const current = await readActive(deviceModel);
      const previous = current?.previous ?? [];
      const back = previous[previous.length - 1];
      if (!current || !back) {
        throw new ModelRegistryError(
          'MODELS_NO_PREVIOUS_VERSION',
          `${deviceModel} has no previously active model version to roll back to`,
        );
      }
      await readUsable(deviceModel, back, 'cannot be rolled back to');
      await writeActive(deviceModel, {
        version: back,
        previous: previous.slice(0, -1),
        activatedAt: new Date().toISOString(),
      });
      log.info({ deviceModel, version: back, was: current.version }, 'model version rolled back');
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
        pointer = { key, file: await readActive(deviceModel) };
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
