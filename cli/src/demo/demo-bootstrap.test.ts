import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { endedByStop } from './demo-bootstrap.ts';

const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs a script that waits forever under tsx, as the training child runs, and ends it with `signal`. */
async function exitOfTsxChildOn(signal: NodeJS.Signals) {
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-demo-'));
  tempDirs.push(dir);
  const script = join(dir, 'wait.ts');
  writeFileSync(script, "process.stdout.write('ready\\n');\nsetInterval(() => {}, 1000);\n");
  const child = spawn(process.execPath, [tsxCli, script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.kill(signal);
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, sig) => resolve({ code, signal: sig })),
  );
}

describe('endedByStop', () => {
  // Regression: a clean SIGTERM logged "model training failed; risks stay unscored" with code 143:
  // the child runs under tsx, which exits 143 (or 130 on Ctrl-C) rather than by the signal.
  it('takes the exit of the tsx child on SIGTERM or SIGINT as stopped, not failed', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const exit = await exitOfTsxChildOn(signal);
      expect(endedByStop(exit.code, exit.signal, true)).toBe(true);
      // Ctrl-C reaches the whole process group: the child may end before the platform calls stop().
      expect(endedByStop(exit.code, exit.signal, false)).toBe(true);
    }
  });

  it('takes any signal while the platform is stopping as stopped', () => {
    expect(endedByStop(null, 'SIGKILL', true)).toBe(true);
    expect(endedByStop(null, 'SIGTERM', false)).toBe(true);
  });

  it('still reports a training that failed by itself', () => {
    expect(endedByStop(1, null, false)).toBe(false);
    expect(endedByStop(1, null, true)).toBe(false);
    expect(endedByStop(null, 'SIGKILL', false)).toBe(false);
    expect(endedByStop(137, null, false)).toBe(false);
  });
});
