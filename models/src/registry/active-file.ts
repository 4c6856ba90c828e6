import { z } from 'zod';
import { parseSavedJson, readSavedJson, SavedModelError } from '../model-io.ts';

const versionName = z.string().regex(/^v\d+$/, 'must look like v2');

/**
 * active.json of a device model: the version scoring uses and the versions active before it. Only the
 * registry writes it, but it is validated on every read, so a hand-edited or damaged file is reported
 * and can be replaced, not guessed at.
 */
export const activeFileSchema = z.strictObject({
  version: versionName,
  /** Previously active versions, oldest first: `rollback` goes back to the last one. */
  previous: z.array(versionName),
  activatedAt: z.string(),
});
export type ActiveFile = z.infer<typeof activeFileSchema>;

/**
 * What an active.json says: `file` is what parsed (null when there is none, or it does not parse),
 * `problem` why it cannot be used, one line naming the file. Both can be set: a file that parses but
 * names a version that is gone still carries the history before it.
 */
export interface ActivePointer {
  file: ActiveFile | null;
  problem: string | null;
}

/** Reads an active.json; a missing file is no pointer, a damaged one a problem, neither throws. */
export async function readActiveFile(file: string): Promise<ActivePointer> {
  try {
    return { file: parseSavedJson(activeFileSchema, await readSavedJson(file), file), problem: null };
  } catch (err) {
    if (err instanceof SavedModelError) return { file: null, problem: err.message };
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { file: null, problem: null };
    // A folder in its place, or no permission: still one line naming the file, and still replaceable.
    if (code) return { file: null, problem: `${file}: cannot be read (${code})` };
    throw err;
  }
}
