import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { AftercareError } from '@aftercare/core';
import type { ArmMessage, ArmOptions, ArmResult } from './backtest-types.ts';

const armScript = fileURLToPath(new URL('./arm-process.ts', import.meta.url));

/**
 * Runs one arm in a child process (so the two arms use both cores) and answers its result; progress
 * and backend messages go to `onMessage`. Whatever the child prints goes to our stderr, never to stdout,
 * which is kept for the report. Aborting `signal` stops the child.
 */
export function runArmProcess(
  options: ArmOptions,
  onMessage: (m: ArmMessage) => void,
  signal?: AbortSignal,
): Promise<ArmResult> {
  const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
  const child = spawn(process.execPath, [tsxCli, armScript, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: process.env,
    ...(signal ? { signal } : {}),
  });
  child.stdout?.pipe(process.stderr);
  child.stderr?.pipe(process.stderr);
  return new Promise<ArmResult>((resolve, reject) => {
    let result: ArmResult | null = null;
    let failure: string | null = null;
    child.on('message', (m: ArmMessage) => {
      if (m.type === 'result') result = m.result;
      else if (m.type === 'error') failure = m.message;
      else onMessage(m);
    });
    // An abort (the other arm failed) surfaces as the exit below.
    child.on('error', (err) => {
      if (err.name !== 'AbortError') reject(err);
    });
    child.on('exit', (code, signal) => {
      if (result) resolve(result);
      else
        reject(
          new AftercareError(
            'BACKTEST_ARM_FAILED',
            `the ${options.kind} arm failed: ${failure?.split('\n')[0] ?? `exit ${code ?? signal}`}`,
            { cause: failure },
          ),
        );
    });
  });
}
