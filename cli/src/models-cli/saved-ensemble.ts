import path from 'node:path';
import { type Logger, ValidationError } from '@aftercare/core';
import { ENSEMBLE_FILE, loadRulEnsemble, SavedModelError } from '@aftercare/models';
import { statOrNull } from '../folders.ts';

/**
 * Loads the ensemble that --model names. Whatever keeps it from loading is one line naming --model and
 * what is wrong ("--model: out is not a saved ensemble (member-1/weights.bin: 8 bytes of weights where
 * model.json describes 11,520)"); the error itself, with its stack, goes to the log at debug level.
 */
export async function loadSavedEnsemble(dir: string, logger: Logger): ReturnType<typeof loadRulEnsemble> {
  try {
    return await loadRulEnsemble(dir);
  } catch (err) {
    logger.debug({ err, model: dir }, 'the saved ensemble did not load');
    throw new ValidationError(`--model: ${await whyNotLoaded(dir, err)}`);
  }
}

async function whyNotLoaded(dir: string, err: unknown): Promise<string> {
  const folder = statOrNull(dir)?.isDirectory() ?? null;
  const e = err as NodeJS.ErrnoException;
  const ensembleFile = path.join(dir, ENSEMBLE_FILE);
  if (folder === null) return `${ensembleFile} not found`;
  const notSaved = (reason: string) => `${dir} is not a saved ensemble (${reason})`;
  if (!folder) return notSaved('a file, not a folder');
  if (e.code === 'ENOENT' && e.path === ensembleFile) return notSaved(`no ${ENSEMBLE_FILE} in it`);
  const inside = (file: string) => path.relative(dir, file) || file;
  if (err instanceof SavedModelError) return notSaved(`${inside(err.file)}: ${err.problem}`);
  if (e.code !== undefined && e.path !== undefined) {
    const problem: Record<string, string> = {
      ENOENT: 'is missing',
      EISDIR: 'is a folder, not a file',
      ENOTDIR: 'lies under a file, not a folder',
      EACCES: 'cannot be read (permission denied)',
    };
    return notSaved(`${inside(e.path)} ${problem[e.code] ?? `cannot be read (${e.code})`}`);
  }
  return notSaved((e.message ?? String(err)).split('\n')[0]!);
}
