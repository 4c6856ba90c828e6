import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '@aftercare/core';
import { generateHistory } from '@aftercare/device-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestReport } from '../src/backtest/backtest-report.ts';
import { type BacktestOptions, runBacktest, warmupDays, warmupStart } from '../src/backtest/run-backtest.ts';

const DAY_MS = 86_400_000;
const mainScript = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

/** The failures the simulator schedules in the window: the same whoever repairs the devices. */
function scheduledFailures(seed: number, devices: number, days: number): number {
  const start = warmupStart + warmupDays * DAY_MS;
  const end = start + days * DAY_MS;
  let count = 0;
  for (const tick of generateHistory({ seed, devices, from: warmupStart, to: end })) {
    for (const g of tick.groundTruth) if (g.failedAt >= start && g.failedAt <= end) count++;
  }
  return count;
}

/** Everything but how long the run took and whether the models came from the cache. */
function outcome(report: BacktestReport) {
  const { run, ...rest } = report;
  return { ...rest, backend: run.backend, trainingSeed: run.trainingSeed };
}

describe('pnpm aftercare backtest', () => {
  let cacheDir: string;
  let options: BacktestOptions;
  let first: BacktestReport;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'aftercare-backtest-test-'));
    options = {
      seed: 5,
      devices: 30,
      days: 40,
      scoreEveryHours: 24,
      // A small training fleet keeps the test to a few minutes; the figures are not what it checks.
      training: { seed: 100_001, devices: 40, days: 90 },
      cacheDir,
      dataDir: null,
      keepData: false,
      sequential: false,
      predictiveRouteFill: false,
      logLevel: 'error',
    };
    first = await runBacktest(options, silentLogger);
  }, 1_800_000);

  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('reports the headline figures with their types', () => {
    expect(Number.isInteger(first.failures)).toBe(true);
    expect(Number.isInteger(first.caught)).toBe(true);
    expect(Number.isInteger(first.falseTickets)).toBe(true);
    for (const share of [first.slaMet, first.partsFirstVisit, first.caughtPct, first.falseTicketPct]) {
      if (share !== null) {
        expect(share).toBeGreaterThanOrEqual(0);
        expect(share).toBeLessThanOrEqual(100);
      }
    }
    expect(first.medianLeadDays === null || first.medianLeadDays > 0).toBe(true);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
  });

  it('counts the failures the simulator scheduled in the window, in both arms', () => {
    const expected = scheduledFailures(options.seed, options.devices, options.days);
    expect(expected).toBeGreaterThan(0);
    for (const arm of [first.model, first.baseline]) {
      expect(arm.failures).toBe(expected);
      // Each failure either happened or a predictive visit prevented it.
      expect(arm.failuresHappened + arm.caught).toBe(arm.failures);
      expect(arm.predictiveTickets.caught).toBeGreaterThanOrEqual(arm.caught);
      // Remote fixes go through the same books: a ticket is resolved remotely only after its device
      // answered that the fix cleared a fault.
      expect(arm.remoteFixes.resolvedRemotely).toBeLessThanOrEqual(arm.remoteFixes.cleared);
    }
  });

  it('reports the rule baseline beside the models, and the dispatch planner beside the greedy rule', () => {
    expect(first.baseline.kind).toBe('baseline');
    expect(first.model.kind).toBe('model');
    expect(first.baseline.predictiveTickets.opened).toBeGreaterThan(0);
    const d = first.dispatch;
    expect(d.jobs).toBe(first.model.visits);
    expect(d.jobs).toBeGreaterThan(0);
    for (const side of [d.greedy, d.planner, d.hindsight, d.hindsightNoLater]) {
      expect(side.travelKm).toBeGreaterThan(0);
      expect(side.jobs).toBe(d.jobs);
    }
    // Hindsight starts from the planner's bookings and only keeps changes that drive less and lose no SLA.
    expect(d.hindsight.travelKm).toBeLessThanOrEqual(d.planner.travelKm);
    expect(d.hindsight.slaMetPct).toBeGreaterThanOrEqual(d.planner.slaMetPct);
    expect(d.hindsight.unassigned).toBe(d.planner.unassigned);
    // Kept to the planner's days, it lies between the two.
    expect(d.hindsightNoLater.travelKm).toBeLessThanOrEqual(d.planner.travelKm);
    expect(d.hindsightNoLater.travelKm).toBeGreaterThanOrEqual(d.hindsight.travelKm);
    expect(d.hindsightNoLater.slaMetPct).toBeGreaterThanOrEqual(d.planner.slaMetPct);
  });

  it('gives the same figures for the same seed, with the models from the cache', async () => {
    const again = await runBacktest(options, silentLogger);
    expect(again.run.modelsCached).toBe(true);
    expect(first.run.modelsCached).toBe(false);
    expect(outcome(again)).toEqual(outcome(first));
  }, 1_800_000);

  it('refuses a bad flag with one line and a non-zero exit', () => {
    const run = spawnSync(process.execPath, [tsxCli, mainScript, 'backtest', '--devices', '0'], {
      encoding: 'utf8',
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('--devices');
  });
});
