import type { Logger } from '@aftercare/core';

/** What main.ts hands every subcommand: the only doors to the environment, the streams and signals. */
export interface CommandContext {
  env: Readonly<Record<string, string | undefined>>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  logger: Logger;
  now: number;
}
