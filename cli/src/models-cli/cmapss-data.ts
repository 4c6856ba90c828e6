import { access } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '@aftercare/core';

/** Checks the C-MAPSS files a command will read, so a wrong --dir fails with the file it missed. */
export async function requireCmapssFiles(
  dir: string,
  subset: string,
  prefixes: readonly string[],
): Promise<void> {
  for (const prefix of prefixes) {
    const file = path.join(dir, `${prefix}_${subset}.txt`);
    try {
      await access(file);
    } catch {
      throw new ValidationError(
        `--dir: ${file} not found (expected train_/test_/RUL_${subset}.txt in ${dir})`,
      );
    }
  }
}

export const ALL_FILES = ['train', 'test', 'RUL'] as const;
