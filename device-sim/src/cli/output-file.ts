import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SimError } from '../errors.ts';

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
  return new SimError('SIM_WRITE_FAILED', `cannot write ${target}: ${describeWriteError(err)}`, {
    cause: err,
  });
}

const reasons: Record<string, string> = {
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'a part of the path is a file, not a directory',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EPIPE: 'the reader closed the pipe',
};

function describeWriteError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return (e?.code && reasons[e.code]) ?? String(e?.message ?? err).split('\n')[0]!;
}
