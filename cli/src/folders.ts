import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ValidationError } from '@aftercare/core';

/*
 * Folders a command is about to write in, checked before long work (a training, a backtest) so that
 * a path that cannot be used is named at once, in one line, and nothing is created meanwhile.
 */

/** What stands in the way of writing in `dir`, or of creating it, in words that follow its name; null when nothing does. */
export function folderProblem(dir: string): string | null {
  const at = statOrNull(dir);
  if (at !== null) {
    if (!at.isDirectory()) return at.isFile() ? 'is a file, not a folder' : 'is not a folder';
    return writable(dir) ? null : 'is not writable';
  }
  // Not there yet: it is created inside its nearest existing parent, which must be a writable folder.
  for (let parent = dirname(resolve(dir)); ; parent = dirname(parent)) {
    const stat = statOrNull(parent);
    if (stat !== null) {
      if (!stat.isDirectory()) return `cannot be created: ${parent} is a file`;
      return writable(parent) ? null : `cannot be created: ${parent} is not writable`;
    }
    if (dirname(parent) === parent) return null;
  }
}

/** Refuses, naming `flag` (or the variable the path came from), a folder `folderProblem` finds fault with. */
export function requireWritableFolder(flag: string, dir: string): void {
  const problem = folderProblem(dir);
  if (problem !== null) throw new ValidationError(`${flag}: ${dir} ${problem}`);
}

/** What `path` is, or null when nothing is there (or a file stands on its way). */
export function statOrNull(path: string) {
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
