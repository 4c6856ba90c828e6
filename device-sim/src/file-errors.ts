/** Why a file could not be read or written, in words for a one-line message (its system error code otherwise). */
export function fileErrorReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return (e?.code && reasons[e.code]) ?? String(e?.message ?? err).split('\n')[0]!;
}

const reasons: Record<string, string> = {
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'a part of the path is a file, not a directory',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EPIPE: 'the reader closed the pipe',
};
