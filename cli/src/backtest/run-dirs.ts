import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { ValidationError } from '@aftercare/core';

/**
 * The folders a backtest writes to, checked before any work: training the models takes minutes with
 * an empty cache, and a folder that cannot be used should be named before that, not after.
 */

/** What stands in the way of using or creating `dir` as a folder to write in, or null. */
function folderProblem(dir: string): string | null {
  const at = statOrNull(dir);
  if (at !== null) {
    if (!at.isDirectory()) return at.isFile() ? 'is a file' : 'is not a folder';
    return writable(dir) ? null : 'is not writable';
  }
  // Not there yet: it is created inside its nearest existing parent, which must be a writable folder.
  for (let parent = dirname(dir); ; parent = dirname(parent)) {
    const stat = statOrNull(parent);
    if (stat !== null) {
      if (!stat.isDirectory()) return `cannot be created: ${parent} is a file`;
      return writable(parent) ? null : `cannot be created: ${parent} is not writable`;
    }
    if (dirname(parent) === parent) return null;
  }
}

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch {
    // Missing, or a file stands on its path (ENOTDIR): the caller looks further up.
    return null;
  }
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why `dir` cannot be a run's data directory (a new or empty folder), or null when it can. Its
 * `model/` and `baseline/` databases must start empty.
 */
export function dataDirProblem(dir: string): string | null {
  const problem = folderProblem(dir);
  if (problem !== null) return problem;
  const entries = statOrNull(dir) === null ? 0 : readdirSync(dir).length;
  return entries > 0 ? `is not empty (${entries} ${entries === 1 ? 'entry' : 'entries'})` : null;
}

/** Why `dir` cannot hold the trained models between runs, or null when it can (it may hold others). */
export function cacheDirProblem(dir: string): string | null {
  return folderProblem(dir);
}

/**
 * Refuses, with one line naming the flag, a `--data-dir` or `--cache-dir` the run could not use.
 * `dataDir` null: the run makes a temp folder of its own.
 */
export function checkRunDirs(dirs: { dataDir: string | null; cacheDir: string }): void {
  const cache = cacheDirProblem(dirs.cacheDir);
  if (cache !== null)
    throw new ValidationError(
      `--cache-dir: "${dirs.cacheDir}" ${cache}; the trained models are kept in a folder`,
    );
  if (dirs.dataDir === null) return;
  const data = dataDirProblem(dirs.dataDir);
  if (data !== null)
    throw new ValidationError(`--data-dir: "${dirs.dataDir}" ${data}; the run needs a new or empty folder`);
  const dataAt = resolve(dirs.dataDir);
  const cacheAt = resolve(dirs.cacheDir);
  if (cacheAt === dataAt || cacheAt.startsWith(dataAt + sep))
    throw new ValidationError(
      `--data-dir: "${dirs.dataDir}" holds the model cache (--cache-dir "${dirs.cacheDir}"); give the run a folder of its own`,
    );
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
  const problem = dataDirProblem(dataDir);
  if (problem !== null)
    throw new ValidationError(`--data-dir: "${dataDir}" ${problem}; the run needs a new or empty folder`);
  mkdirSync(dataDir, { recursive: true });
  return { dir: dataDir, temporary: false };
}
