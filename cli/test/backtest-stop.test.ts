import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const mainScript = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

/** The processes whose command line names `text` (here: a folder only this run uses). */
function processesNaming(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false; // Gone meanwhile.
      }
    })
    .map(Number);
}

describe('pnpm aftercare backtest stopped by a signal', { timeout: 120_000 }, () => {
  const root = mkdtempSync(path.join(tmpdir(), 'aftercare-backtest-stop-'));
  afterAll(() => {
    for (const pid of processesNaming(root)) process.kill(pid, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  // Regression: a SIGTERM (a supervisor, a test's timeout) ended the backtest alone, and the
  // training it had started ran on, orphaned, for minutes.
  it('stops the training it started, and exits with the signal’s code', async () => {
    const cacheDir = path.join(root, 'cache');
    const child = spawn(
      process.execPath,
      [tsxCli, mainScript, 'backtest', '--devices', '20', '--days', '10', '--cache-dir', cacheDir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // The training process is under way once it has logged a line of its own.
    for (let waited = 0; !/"app":"models"/.test(stderr); waited += 200) {
      if (waited > 60_000) throw new Error(`the training never started:\n${stderr}`);
      await sleep(200);
    }
    expect(processesNaming(cacheDir).length).toBeGreaterThan(0);

    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    // Its processes go with it (give the kill a moment to land).
    for (let waited = 0; processesNaming(cacheDir).length > 0 && waited < 10_000; waited += 200)
      await sleep(200);
    expect(processesNaming(cacheDir)).toEqual([]);
  });
});
