import { PassThrough } from 'node:stream';
import { silentLogger } from '@aftercare/core';
import type { CommandContext } from './command-context.ts';

/** A command context whose streams are captured, for tests of the subcommands. */
export function captureContext(env: Record<string, string> = {}, now = Date.now()) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += chunk;
  });
  stderr.on('data', (chunk) => {
    err += chunk;
  });
  const abort = new AbortController();
  const ctx: CommandContext = { env, stdout, stderr, signal: abort.signal, logger: silentLogger, now };
  return { ctx, abort, stdout: () => out, stderr: () => err };
}
