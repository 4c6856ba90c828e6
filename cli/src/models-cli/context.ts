import type { Logger } from '@aftercare/core';

/** What main.ts hands every models subcommand: the only doors to the environment, streams and signals. */
export interface ModelsCliContext {
  env: Readonly<Record<string, string | undefined>>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  logger: Logger;
}

/** A subcommand: runs with its own argv (after `<command> <target>`), returns the exit code. */
export interface ModelsCommand {
  summary: string;
  help(): string;
  run(argv: readonly string[], ctx: ModelsCliContext): Promise<number>;
}
