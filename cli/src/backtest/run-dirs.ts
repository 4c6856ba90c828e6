import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { ValidationError } from '@aftercare/core';
import { folderProblem, statOrNull } from '../folders.ts';

/**
 * The folders a backtest writes to, checked before any work: training the models takes minutes with
 * an empty cache, and a folder that cannot be used should be named before that, not after.
 */

/**
 * Why `dir` cannot be a run's data directory (a new or empty folder), or null when it can. Its
 * `model/` and `baseline/` databases must start empty.
 */
function dataDirProblem(dir: string): string | null {
  const problem = folderProblem(dir);
  if (problem !== null) return problem;
  const entries = statOrNull(dir) === null ? 0 : readdirSync(dir).length;
  return entries > 0 ? `is not empty (${entries} ${entries === 1 ? 'entry' : 'entries'})` : null;
}

/**
 * Refuses, with one line naming the flag, a `--data-dir` or `--cache-dir` the run could not use.
 * `dataDir` null: the run makes a temp folder of its own.
 */
export function checkRunDirs(dirs: { dataDir: string | null; cacheDir: string }): void {
  // The cache may hold other trainings' models: only a folder it can write in is asked for.
  const cache = folderProblem(dirs.cacheDir);
  if (cache !== null)
    throw new ValidationError(
      `--cache-dir: "${dirs.cacheDir}" ${cache}; the trained models are kept in a folder`,
    );
  if (dirs.dataDir === null) return;
  requireRunDataDir(dirs.dataDir);
  const dataAt = resolve(dirs.dataDir);
  const cacheAt = resolve(dirs.cacheDir);
  if (cacheAt === dataAt || cacheAt.startsWith(dataAt + sep))
    throw new ValidationError(
      `--data-dir: "${dirs.dataDir}" holds the model cache (--cache-dir "${dirs.cacheDir}"); give the run a folder of its own`,
    );
}

function requireRunDataDir(dataDir: string): void {
  const problem = dataDirProblem(dataDir);
  if (problem !== null)
    throw new ValidationError(`--data-dir: "${dataDir}" ${problem}; the run needs a new or empty folder`);
}

export interface RunDataDir {
  dir: string;
  /** Made by the run itself (no `--data-dir`): removed at the end unless `--keep-data`. */
  temporary: boolean;
}

/**
 * The run's data directory: a new temp folder, or the user's folder, checked again (the models were
 * trained in between) and created when missing. A folder the user named is never removed by the run.
 */
export function makeRunDataDir(dataDir: string | null): RunDataDir {
  if (dataDir === null) return { dir: mkdtempSync(join(tmpdir(), 'aftercare-backtest-')), temporary: true };
  requireRunDataDir(dataDir);
  mkdirSync(dataDir, { recursive: true });
  return { dir: dataDir, temporary: false };
}
