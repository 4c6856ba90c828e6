import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const mainScript = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

/**
 * `pnpm aftercare …` as a person runs it. A refusal comes before any work: well within the 60 s the
 * command is given here (the default training fleet alone takes longer), and with the cache untouched.
 */
function aftercare(args: string[]) {
  const run = spawnSync(process.execPath, [tsxCli, mainScript, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, lines: run.stderr.trim().split('\n') };
}

describe('pnpm aftercare backtest: its folders are checked before any work', { timeout: 120_000 }, () => {
  let root: string;
  let cacheDir: string;
  let file: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'aftercare-backtest-flags-'));
    cacheDir = path.join(root, 'cache');
    mkdirSync(cacheDir);
    file = path.join(root, 'notes.txt');
    writeFileSync(file, 'mine');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const backtest = (...args: string[]) =>
    aftercare(['backtest', '--devices', '20', '--days', '10', '--cache-dir', cacheDir, ...args]);

  it('refuses a --data-dir that is a file with one line, not an ENOTDIR stack after training', () => {
    const run = backtest('--data-dir', file);
    expect(run.status).toBe(2);
    expect(run.lines).toEqual([
      `aftercare: --data-dir: "${file}" is a file, not a folder; the run needs a new or empty folder`,
    ]);
    // No model was trained first.
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('refuses a --data-dir that is not empty before training the models, not after', () => {
    const used = path.join(root, 'used');
    mkdirSync(used);
    writeFileSync(path.join(used, 'telemetry.db'), '');
    const run = backtest('--data-dir', used);
    expect(run.status).toBe(2);
    expect(run.lines).toEqual([
      `aftercare: --data-dir: "${used}" is not empty (1 entry); the run needs a new or empty folder`,
    ]);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('refuses a --cache-dir that is a file with one line', () => {
    const run = aftercare(['backtest', '--devices', '20', '--days', '10', '--cache-dir', file]);
    expect(run.status).toBe(2);
    expect(run.lines).toEqual([
      `aftercare: --cache-dir: "${file}" is a file, not a folder; the trained models are kept in a folder`,
    ]);
  });
});

describe('pnpm aftercare backtest: flags', { timeout: 200_000 }, () => {
  it('says what a bad number must be in its own words, not zod’s', () => {
    expect(aftercare(['backtest', '--devices', 'abc']).lines).toEqual([
      'aftercare: --devices: must be a whole number between 1 and 5000 (got "abc")',
    ]);
    expect(aftercare(['backtest', '--devices', '']).lines).toEqual([
      'aftercare: --devices: must be a whole number between 1 and 5000 (got "")',
    ]);
    expect(aftercare(['backtest', '--days', '1e2']).lines).toEqual([
      'aftercare: --days: must be a whole number between 1 and 730 (got "1e2")',
    ]);
  });

  it('shows the defaulted flags as optional in its usage, with their defaults and limits', () => {
    const help = aftercare(['backtest', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(
      'Usage: pnpm aftercare backtest [--devices <n>] [--days <d>] [--seed <s>] [--json]',
    );
    expect(help.stdout).toMatch(/--devices\s+simulated devices, 1 to 5000 \(default 500\)/);
    expect(help.stdout).toMatch(/--days\s+virtual days after a 15-day warm-up, 1 to 730 \(default 180\)/);
    expect(help.stdout).toContain('With none it is the full run, 500 devices over 180 days');
  });

  it('says in its help that a --data-dir is kept and only its own temp folder removed', () => {
    const help = aftercare(['backtest', '--help']).stdout;
    expect(help).toMatch(
      /--data-dir\s+a new or empty folder for the run's databases, created if missing and kept afterwards \(default: a temp folder, removed afterwards unless --keep-data\)/,
    );
    expect(help).toMatch(/--keep-data\s+keep the temp data folder .*; a --data-dir folder is always kept/);
  });
});

describe('pnpm bench --only', { timeout: 120_000 }, () => {
  it('names the unknown scenario and lists the valid ones', () => {
    const run = aftercare(['bench', '--only', 'sqlite,nosuch']);
    // A mistake in the command line, as for every CLI of the project.
    expect(run.status).toBe(2);
    expect(run.lines).toEqual([
      'aftercare: --only: unknown scenario "nosuch"; the scenarios are sqlite, influx, connected, scoring, training, console (got "sqlite,nosuch")',
    ]);
  });

  it('names a bad number in its own words too', () => {
    expect(aftercare(['bench', '--seconds', 'abc']).lines).toEqual([
      'aftercare: --seconds: must be a whole number between 3 and 600 (got "abc")',
    ]);
  });
});
