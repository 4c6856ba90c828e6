import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const mainScript = fileURLToPath(new URL('./main.ts', import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

/** Runs `pnpm aftercare …` as a user does: its own process through tsx. */
function aftercare(...argv: string[]) {
  const run = spawnSync(process.execPath, [tsxCli, mainScript, ...argv], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('pnpm aftercare', () => {
  it('prints the help and exits 0 for --help after a command it knows', () => {
    const run = aftercare('start', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: pnpm aftercare <command> [options]');
  });

  // Regression: `aftercare nosuch --help` printed the general help and exited 0.
  it('refuses an unknown command in one line and exits non-zero, even with --help', () => {
    const run = aftercare('nosuch', '--help');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('aftercare: unknown command "nosuch"; see pnpm aftercare --help\n');
  });
});
