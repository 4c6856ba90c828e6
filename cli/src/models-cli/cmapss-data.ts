import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '@aftercare/core';
import { statOrNull } from '../folders.ts';

export const ALL_FILES = ['train', 'test', 'RUL'] as const;

/** How a command's files read in a message: train_/test_/RUL_FD001.txt, or train_FD001.txt alone. */
function fileNames(subset: string, prefixes: readonly string[]): string {
  return `${prefixes.map((p) => `${p}_`).join('/')}${subset}.txt`;
}

/** How a message names one of the files: "train_FD001.txt in data/cmapss". */
export const inFolder = (file: string) => `${path.basename(file)} in ${path.dirname(file)}`;

/** The subsets `dir` holds every file of (with these prefixes), in order; none when it cannot be read. */
async function subsetsIn(dir: string, prefixes: readonly string[]): Promise<string[]> {
  const names = new Set(await readdir(dir).catch(() => [] as string[]));
  const subsets = [...names]
    .map((name) => /^train_(FD\d{3})\.txt$/.exec(name)?.[1])
    .filter((s): s is string => s !== undefined);
  return subsets.filter((s) => prefixes.every((p) => names.has(`${p}_${s}.txt`))).sort();
}

/**
 * Checks the C-MAPSS files a command will read before anything is trained, so a wrong --dir or
 * --subset fails at once with the file it missed. When --dir holds other subsets but not this one,
 * the subset is what is wrong and the message lists what the folder holds; otherwise it is the folder.
 */
export async function requireCmapssFiles(
  dir: string,
  subset: string,
  prefixes: readonly string[],
): Promise<void> {
  if (statOrNull(dir)?.isDirectory() === false)
    throw new ValidationError(`--dir: ${dir} is a file, not a folder`);
  for (const prefix of prefixes) {
    const name = `${prefix}_${subset}.txt`;
    const found = await access(path.join(dir, name)).then(
      () => true,
      () => false,
    );
    if (found) continue;
    const held = await subsetsIn(dir, prefixes);
    if (held.length > 0) {
      throw new ValidationError(`--subset: ${subset} has no ${name} in ${dir} (it holds ${held.join(', ')})`);
    }
    throw new ValidationError(
      `--dir: ${path.join(dir, name)} not found (expected ${fileNames(subset, prefixes)} in ${dir})`,
    );
  }
}
