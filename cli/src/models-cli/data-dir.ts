import path from 'node:path';
import { ValidationError } from '@aftercare/core';
import { z } from 'zod';
import { requireWritableFolder, statOrNull } from '../folders.ts';
import type { ModelsCliContext } from './context.ts';

/** --data-dir: where the fleet model registry lives (`<data dir>/models`). */
export const dataDirFlag = {
  'data-dir': {
    type: 'string' as const,
    description: 'where the model registry lives (default AFTERCARE_DATA_DIR, else ./data)',
  },
};
export const dataDirSchema = { 'data-dir': z.string().min(1).optional() };

/** The data directory and what chose it, for messages: the flag, the variable, or the default. */
export function dataDir(flag: string | undefined, ctx: ModelsCliContext): { dir: string; from: string } {
  if (flag !== undefined) return { dir: flag, from: '--data-dir' };
  const env = ctx.env.AFTERCARE_DATA_DIR;
  if (env) return { dir: env, from: 'AFTERCARE_DATA_DIR' };
  return { dir: './data', from: '--data-dir (default ./data)' };
}

/**
 * Checks the registry's folder before a command reads or changes it, so that a data directory that is
 * a file fails at once with one line naming where it came from, not after a training with ENOTDIR.
 * Writers (train, activate, rollback) also need to be able to write there.
 */
export async function requireRegistryFolder(
  data: { dir: string; from: string },
  access: 'read' | 'write',
): Promise<void> {
  const models = path.join(data.dir, 'models');
  if (access === 'write') {
    await requireWritableFolder(data.from, data.dir);
    await requireWritableFolder(data.from, models);
    return;
  }
  for (const dir of [data.dir, models])
    if (statOrNull(dir)?.isDirectory() === false)
      throw new ValidationError(`${data.from}: ${dir} is a file, not a folder`);
}
