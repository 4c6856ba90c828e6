import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SimError } from '../errors.ts';
import { fileErrorReason } from '../file-errors.ts';

/**
 * A file a flag names for the simulator to write (`--out`, `--ground-truth`). It is opened before
 * any work starts, so a path that cannot be written (a directory, no permission) fails in a moment
 * with one line, not after an hour of generated history.
 */
export async function openOutputFile(
  flag: string,
  path: string,
  mode: 'truncate' | 'append' = 'truncate',
): Promise<NodeJS.WritableStream> {
  try {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(path, mode === 'append' ? 'a' : 'w');
    return handle.createWriteStream();
  } catch (err) {
    throw writeFailed(`${flag} ${path}`, err);
  }
}

/** The one line a failed write ends the command with: what could not be written, and why. */
export function writeFailed(target: string, err: unknown): SimError {
  return new SimError('SIM_WRITE_FAILED', `cannot write ${target}: ${fileErrorReason(err)}`, {
    cause: err,
  });
}
