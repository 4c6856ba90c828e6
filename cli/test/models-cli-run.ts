import { PassThrough } from 'node:stream';
import { createLogger, silentLogger } from '@aftercare/core';
import { runModelsCli } from '../src/models-cli/cli.ts';

export type ModelsRun = { code: number; stdout: string; stderr: string };

/**
 * Runs the models CLI in this process with captured streams. With `logs`, pino logs at info to the
 * same stderr the messages go to, as main.ts wires it, so a stack, a JSON log line or a sign of
 * training shows up beside a message; without, the logger is silent.
 */
export async function runModels(
  argv: string[],
  options: { logs?: boolean; env?: Record<string, string> } = {},
): Promise<ModelsRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const code = await runModelsCli(argv, {
    env: options.env ?? {},
    stdout,
    stderr,
    signal: new AbortController().signal,
    logger: options.logs
      ? createLogger({ level: 'info', name: 'models', destination: stderr })
      : silentLogger,
  });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}
