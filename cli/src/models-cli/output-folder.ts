import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '@aftercare/core';

/**
 * Checks, before a training that may take hours, that `dir` is a folder the command can write in or
 * create: the nearest part of the path that exists must be a folder, writable. Creates nothing, so a
 * refused or stopped run leaves no empty folder behind. `flag` names where the path came from
 * (`--out`, `--data-dir`, `AFTERCARE_DATA_DIR`).
 */
export async function requireWritableFolder(flag: string, dir: string): Promise<void> {
  let at = path.resolve(dir);
  for (;;) {
    const found = await stat(at).catch((err: NodeJS.ErrnoException) => {
      // Missing, or below a file (ENOTDIR): look one level up.
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
      throw new ValidationError(`${flag}: cannot check ${at} (${err.code ?? err.message})`);
    });
    if (found) {
      if (!found.isDirectory()) {
        const where = at === path.resolve(dir) ? dir : `${at}, on the way to ${dir},`;
        throw new ValidationError(`${flag}: ${where} is a file, not a folder`);
      }
      const writable = await access(at, constants.W_OK).then(
        () => true,
        () => false,
      );
      if (!writable) throw new ValidationError(`${flag}: cannot write in ${at}`);
      return;
    }
    const parent = path.dirname(at);
    if (parent === at) return;
    at = parent;
  }
}
