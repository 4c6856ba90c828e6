import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ConfigError, createLogger, type Risk } from '@aftercare/core';
import {
  createSqliteStore,
  type SqliteTelemetryStore,
  StoreUnavailableError,
  type TelemetryPoint,
} from '@aftercare/ingest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RiskSink } from './risk-sink.ts';
import {
  createScoringJob,
  type ScoringJob,
  type ScoringJobOptions,
  type ScoringResult,
} from './scoring-job.ts';

const minute = 60_000;
const hour = 60 * minute;
const now = Date.UTC(2026, 10, 26, 12, 0);
const metric = 'compressor_current_a';

/**
 * A real, deterministic scorer over the store's data, standing in for the trained model: the
 * compressor's probability of failure is where its current sits between 4 A (healthy) and 8 A (worn)
 * in the last hour. Devices without that metric in the last six hours are skipped.
 */
function compressorScorer(store: SqliteTelemetryStore, calls: string[][] = []) {
  return async (deviceIds: readonly string[], at: number): Promise<ScoringResult> => {
    calls.push([...deviceIds]);
    const windows = await store.windows({
      deviceIds: [...deviceIds],
      metrics: [metric],
      from: at - 6 * hour,
      to: at,
      stepMs: hour,
    });
    const latest = new Map((await store.latest(deviceIds)).map((l) => [l.deviceId, l.ts]));
    const result: ScoringResult = { risks: [], skipped: [] };
    for (const window of windows) {
      const values = (window.values[metric] ?? []).filter((v): v is number => v !== null);
      if (values.length === 0) {
        result.skipped.push({ deviceId: window.deviceId, reason: 'too little data' });
        continue;
      }
      const level = values.at(-1)!;
      const change = level - values[0]!;
      const pFail = Math.min(1, Math.max(0, (level - 4) / 4));
      result.risks.push({
        deviceId: window.deviceId,
        model: 'split-ac',
        component: 'compressor',
        failureMode: 'compressor_wear',
        pFail,
        daysLeft: pFail >= 0.5 ? (1 - pFail) * 28 : null,
        horizonDays: 14,
        modelVersion: 'test-compressor-rule',
        scoredAt: at,
        dataUntil: latest.get(window.deviceId)!,
        drivers: [
          {
            metric,
            label: 'Compressor current',
            unit: 'A',
            change,
            overDays: 0.25,
            direction: change > 0 ? 'up' : change < 0 ? 'down' : 'steady',
            weight: 1,
            text: `Compressor current ${change >= 0 ? '+' : ''}${change.toFixed(1)} A over 6 hours`,
          },
        ],
      });
    }
    return result;
  };
}

/** A sink as the service will implement it, recording what it accepted; `failures` calls fail first. */
function recordingSink(failures = 0): RiskSink & { accepted: Risk[][] } {
  let left = failures;
  const accepted: Risk[][] = [];
  return {
    accepted,
    async acceptRisks(risks) {
      if (left > 0) {
        left -= 1;
        throw new Error('ticket service unavailable');
      }
      accepted.push([...risks]);
    },
  };
}

function point(
  deviceId: string,
  ts: number,
  metrics: Record<string, number>,
  model = 'split-ac',
): TelemetryPoint {
  return { deviceId, model, ts, metrics };
}

const waitFor = <T extends unknown[]>(job: ScoringJob, event: 'run' | 'overlap' | 'failed', ms = 8_000) =>
  once(job, event, { signal: AbortSignal.timeout(ms) }) as Promise<T>;

describe('createScoringJob', () => {
  let dir: string;
  let file: string;
  let store: SqliteTelemetryStore;
  let logs: string[];
  let job: ScoringJob | undefined;

  const logger = () =>
    createLogger({
      level: 'debug',
      destination: new Writable({
        write(chunk, _encoding, done) {
          logs.push(...String(chunk).split('\n').filter(Boolean));
          done();
        },
      }),
    });
  const makeJob = (options: Partial<ScoringJobOptions> = {}) => {
    job = createScoringJob({
      score: compressorScorer(store),
      store,
      sink: recordingSink(),
      logger: logger(),
      clock: () => now,
      ...options,
    });
    return job;
  };
  const logged = (msg: string) => logs.map((line) => JSON.parse(line)).filter((l) => l.msg === msg);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aftercare-scoring-job-'));
    file = join(dir, 'telemetry.db');
    store = createSqliteStore({ file, retentionDays: 30 });
    await store.init();
    logs = [];
    await store.write([
      point('ac-0001', now - 2 * hour + minute, { [metric]: 6.5 }),
      point('ac-0001', now - 30 * minute, { [metric]: 7.0 }),
      point('ac-0002', now - 40 * minute, { [metric]: 5.0 }),
      point('ac-0003', now - 2 * 24 * hour, { [metric]: 7.9 }),
      point('rf-0001', now - 10 * minute, { cabinet_temp_c: 4.1 }, 'refrigerator'),
    ]);
  });
  afterEach(async () => {
    await job?.stop();
    job = undefined;
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('scores the devices with fresh data, stores their risks, then hands them to the sink', async () => {
    const sink = recordingSink();
    const calls: string[][] = [];
    const report = await makeJob({ sink, score: compressorScorer(store, calls) }).runOnce(now);

    expect(calls).toEqual([['ac-0001', 'ac-0002', 'rf-0001']]);
    expect(report).toMatchObject({ devicesWithData: 4, selected: 3, stale: 1, unchanged: 0 });
    expect(report).toMatchObject({ devicesScored: 2, skipped: 1, risks: 2, stored: true, handedToSink: 2 });
    const stored = await store.latestRisks();
    expect(stored.map((r) => [r.deviceId, r.pFail, r.daysLeft, r.dataUntil])).toEqual([
      ['ac-0001', 0.75, 7, now - 30 * minute],
      ['ac-0002', 0.25, null, now - 40 * minute],
    ]);
    expect(stored[0]!.drivers[0]!.text).toBe('Compressor current +0.5 A over 6 hours');
    expect(sink.accepted).toEqual([stored]);
    const [line] = logged('scoring run');
    expect(line).toMatchObject({ devicesScored: 2, skipped: 1, risks: 2, store: 'sqlite' });
    expect(line.skippedReasons).toEqual({ 'too little data': 1 });
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('does not score a device again until a newer sample has arrived', async () => {
    const calls: string[][] = [];
    const scoring = makeJob({ score: compressorScorer(store, calls) });
    await scoring.runOnce(now);
    const quiet = await scoring.runOnce(now + 5 * minute);
    expect(quiet).toMatchObject({ selected: 0, unchanged: 3, risks: 0 });

    await store.write([point('ac-0002', now + 7 * minute, { [metric]: 6.0 })]);
    const again = await scoring.runOnce(now + 10 * minute);
    expect(calls).toEqual([['ac-0001', 'ac-0002', 'rf-0001'], ['ac-0002']]);
    expect(again).toMatchObject({ selected: 1, devicesScored: 1 });
    const history = await store.risks({ deviceIds: ['ac-0002'], from: now, to: now + hour });
    expect(history.map((r) => [r.scoredAt, r.pFail])).toEqual([
      [now, 0.25],
      [now + 10 * minute, 0.5],
    ]);
  });

  it('tries a device skipped for want of a model again at the next run, without waiting for new data', async () => {
    const calls: string[][] = [];
    const rule = compressorScorer(store, calls);
    let modelActive = false;
    const scoring = makeJob({
      score: async (ids, at) =>
        modelActive
          ? rule(ids, at)
          : {
              risks: [],
              skipped: ids.map((deviceId) => ({ deviceId, reason: 'no active model', retry: true })),
            },
    });
    const before = await scoring.runOnce(now);
    expect(before).toMatchObject({ selected: 3, devicesScored: 0, skipped: 3 });

    modelActive = true;
    const after = await scoring.runOnce(now + minute);
    expect(after).toMatchObject({ selected: 3, devicesScored: 2, risks: 2 });
    expect(calls).toEqual([['ac-0001', 'ac-0002', 'rf-0001']]);
  });

  it('remembers what was scored before a restart, from the stored risks', async () => {
    await makeJob().runOnce(now);
    await job!.stop();
    const calls: string[][] = [];
    const restarted = await makeJob({ score: compressorScorer(store, calls) }).runOnce(now + 5 * minute);
    // rf-0001 was skipped, not scored, so it is tried again after a restart.
    expect(calls).toEqual([['rf-0001']]);
    expect(restarted).toMatchObject({ unchanged: 2, selected: 1 });
  });

  it('keeps the risks stored when the sink fails, and offers them to it again on the next run', async () => {
    const sink = recordingSink(1);
    const scoring = makeJob({ sink });
    const first = await scoring.runOnce(now);
    expect(first).toMatchObject({ stored: true, handedToSink: 0, awaitingSink: 2 });
    expect(await store.latestRisks()).toHaveLength(2);
    expect(scoring.stats()).toMatchObject({ sinkFailures: 1, risksAwaitingSink: 2, risksWritten: 2 });
    expect(logged('the risk sink failed; its risks are offered again next run')).toHaveLength(1);

    const second = await scoring.runOnce(now + 5 * minute);
    expect(second).toMatchObject({ selected: 0, handedToSink: 2, awaitingSink: 0 });
    expect(sink.accepted).toEqual([await store.latestRisks()]);
  });

  it('logs a store failure, keeps going, and scores the same devices again on the next run', async () => {
    const sink = recordingSink();
    // The store's first risk write fails as a full disk would; everything else is the real store.
    let failures = 1;
    const flaky: SqliteTelemetryStore = Object.assign(Object.create(store), {
      writeRisks: async (risks: readonly Risk[]) => {
        if (failures-- > 0) throw new StoreUnavailableError('sqlite risk write failed: SQLITE_FULL');
        return store.writeRisks(risks);
      },
    });
    const scoring = makeJob({ sink, store: flaky });
    const first = await scoring.runOnce(now);
    expect(first).toMatchObject({ risks: 2, stored: false, devicesScored: 0, handedToSink: 0 });
    expect(logged('storing risks failed; the devices are scored again next run')).toHaveLength(1);
    expect(scoring.stats()).toMatchObject({ storeFailures: 1, risksWritten: 0, failedRuns: 0 });
    expect(sink.accepted).toEqual([]);

    const second = await scoring.runOnce(now + 5 * minute);
    expect(second).toMatchObject({ selected: 2, devicesScored: 2, stored: true, handedToSink: 2 });
    expect((await store.latestRisks()).map((r) => r.scoredAt)).toEqual([now + 5 * minute, now + 5 * minute]);
  });

  it('survives a scorer that throws: the run is logged as failed and the next one works', async () => {
    let calls = 0;
    const real = compressorScorer(store);
    const scoring = makeJob({
      score: async (ids, at) => {
        calls += 1;
        if (calls === 1) throw new Error('model not loaded');
        return real(ids, at);
      },
    });
    const failed = waitFor<[{ error: Error }]>(scoring, 'failed');
    expect(await scoring.runOnce(now)).toBeNull();
    expect((await failed)[0].error.message).toBe('model not loaded');
    expect(await scoring.runOnce(now + minute)).toMatchObject({ devicesScored: 2 });
    expect(scoring.stats()).toMatchObject({ runs: 2, failedRuns: 1, devicesScored: 2 });
  });

  it('runs on its cron schedule and skips a tick that comes while a run is still going', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const real = compressorScorer(store);
    let started = () => {};
    const scoringStarted = new Promise<void>((resolve) => (started = resolve));
    const scoring = makeJob({
      cron: '*/1 * * * * *',
      score: async (ids, at) => {
        started();
        await gate;
        return real(ids, at);
      },
    });
    const overlap = waitFor<[{ at: number }]>(scoring, 'overlap');
    const ran = waitFor<[{ devicesScored: number }]>(scoring, 'run');
    scoring.start();
    await scoringStarted;
    await overlap;
    expect(scoring.stats()).toMatchObject({ running: 1, runs: 0 });
    expect(logged('a scoring run is still going; this one is skipped').length).toBeGreaterThanOrEqual(1);
    release();
    expect((await ran)[0].devicesScored).toBe(2);
    expect(scoring.stats().overlapsSkipped).toBeGreaterThanOrEqual(1);
  });

  it('stops its schedule and waits for the run in progress to finish', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const real = compressorScorer(store);
    const scoring = makeJob({
      score: async (ids, at) => {
        await gate;
        return real(ids, at);
      },
    });
    const order: string[] = [];
    const run = scoring.runOnce(now).then(() => order.push('run finished'));
    expect(await scoring.runOnce(now)).toBeNull();
    const stopped = scoring.stop().then(() => order.push('stopped'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    release();
    await Promise.all([run, stopped]);
    expect(order).toEqual(['run finished', 'stopped']);
  });

  it('refuses an invalid cron expression, naming what is wrong', () => {
    expect(() => makeJob({ cron: '99 * * * *' })).toThrow(ConfigError);
    expect(() => makeJob({ cron: '99 * * * *' })).toThrow(
      /"99 \* \* \* \*".*99 is a invalid expression for minute/,
    );
    expect(() => makeJob({ cron: 'every five minutes' })).toThrow(/expected 5 or 6 fields/);
  });

  it('counts its work as plain numbers for a metrics collector', async () => {
    const scoring = makeJob();
    await scoring.runOnce(now);
    const stats = scoring.stats();
    expect(stats).toEqual({
      runs: 1,
      failedRuns: 0,
      overlapsSkipped: 0,
      devicesScored: 2,
      devicesSkipped: 1,
      risksWritten: 2,
      storeFailures: 0,
      sinkFailures: 0,
      risksAwaitingSink: 0,
      running: 0,
      lastRunAt: now,
      lastRunDurationMs: stats.lastRunDurationMs,
    });
    expect(Object.values(stats).every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
  });
});
