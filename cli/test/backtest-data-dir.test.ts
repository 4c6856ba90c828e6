import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestReport } from '../src/backtest/backtest-report.ts';

const mainScript = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

/**
 * What happens to the run's data folder. Each run is the real command on a small fleet, with the
 * smallest training fleet (trained once, by the first run, in a few seconds) and a temp directory of
 * its own (TMPDIR), so that the folders the command makes there can be counted.
 */
describe('pnpm aftercare backtest: the data folder', () => {
  let root: string;
  let cacheDir: string;
  let ownTmp: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'aftercare-backtest-data-dir-'));
    cacheDir = path.join(root, 'cache');
    ownTmp = path.join(root, 'tmp');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function backtest(...args: string[]): BacktestReport {
    const run = spawnSync(
      process.execPath,
      [
        tsxCli,
        mainScript,
        'backtest',
        '--devices',
        '20',
        '--days',
        '10',
        '--train-devices',
        '20',
        '--train-days',
        '60',
        '--cache-dir',
        cacheDir,
        '--json',
        ...args,
      ],
      { encoding: 'utf8', env: { ...process.env, TMPDIR: ownTmp }, timeout: 300_000 },
    );
    if (run.status !== 0) throw new Error(`backtest exited ${run.status}: ${run.stderr.slice(-2000)}`);
    return JSON.parse(run.stdout) as BacktestReport;
  }

  /** The temp folders the command made for runs (not tsx's cache, which lives there too). */
  const runFolders = () =>
    existsSync(ownTmp) ? readdirSync(ownTmp).filter((name) => name.startsWith('aftercare-backtest-')) : [];

  it("keeps a --data-dir the user named, with the run's databases, and says where", () => {
    const dataDir = path.join(root, 'my-run');
    rmSync(ownTmp, { recursive: true, force: true });
    const report = backtest('--data-dir', dataDir);
    expect(readdirSync(dataDir).sort()).toEqual(['baseline', 'model']);
    expect(readdirSync(path.join(dataDir, 'model'))).toContain('telemetry.db');
    expect(report.run.dataDir).toBe(dataDir);
    expect(runFolders()).toEqual([]);
  }, 300_000);

  it('removes the temp folder it made itself when no folder is named', () => {
    const report = backtest();
    expect(report.run.dataDir).toBeNull();
    expect(runFolders()).toEqual([]);
  }, 300_000);

  it('keeps its temp folder with --keep-data and says where', () => {
    const report = backtest('--keep-data');
    expect(runFolders()).toHaveLength(1);
    expect(report.run.dataDir).toBe(path.join(ownTmp, runFolders()[0]!));
    expect(readdirSync(report.run.dataDir!).sort()).toEqual(['baseline', 'model']);
  }, 300_000);
});
