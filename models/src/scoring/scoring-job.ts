import { EventEmitter } from 'node:events';
import { ConfigError, type Logger, type Risk } from '@aftercare/core';
import type { TelemetryStore } from '@aftercare/ingest';
import cron, { type ScheduledTask } from 'node-cron';
import { selectDevicesToScore } from './device-selection.ts';
import type { RiskSink } from './risk-sink.ts';

export const defaultScoringCron = '*/5 * * * *';
const dayMs = 86_400_000;

export interface ScoringResult {
  risks: Risk[];
  /**
   * Devices the scorer would not score, and why (too little data, no active model…); `retry` when it
   * was for want of a model rather than data, so they are tried again at the next run.
   */
  skipped: { deviceId: string; reason: string; retry?: boolean }[];
}

/**
 * Scores the given devices as of `now`. The wiring adapts the models' batch scorer to it, looking up
 * what else that needs (device model, install and service dates) for these ids.
 */
export type ScoreDevices = (deviceIds: readonly string[], now: number) => Promise<ScoringResult>;

export interface ScoringJobOptions {
  /** node-cron expression, 5 fields or 6 with seconds first. Default every 5 minutes. */
  cron?: string;
  score: ScoreDevices;
  store: Pick<TelemetryStore, 'kind' | 'latest' | 'latestRisks' | 'writeRisks'>;
  sink: RiskSink;
  logger: Logger;
  clock?: () => number;
  /** A device whose newest sample is older than this is not scored. Default 24 h. */
  freshnessMs?: number;
  /** The TensorFlow.js backend the scorer runs on, for the run log. */
  backend?: string;
}

export interface ScoringRunReport {
  /** The run's `now`: every risk of the run has it as scoredAt. */
  at: number;
  devicesWithData: number;
  selected: number;
  stale: number;
  unchanged: number;
  devicesScored: number;
  skipped: number;
  risks: number;
  stored: boolean;
  /** Risks the sink accepted in this run, earlier runs' retried ones included. */
  handedToSink: number;
  /** Risks stored but not yet accepted by the sink, retried next run. */
  awaitingSink: number;
  durationMs: number;
}

/** Counters since the job was created, as plain numbers for a Prometheus collector. */
export interface ScoringJobStats {
  runs: number;
  failedRuns: number;
  /** Ticks that came while a run was still going and were skipped. */
  overlapsSkipped: number;
  devicesScored: number;
  devicesSkipped: number;
  risksWritten: number;
  storeFailures: number;
  sinkFailures: number;
  risksAwaitingSink: number;
  running: number;
  lastRunAt: number;
  lastRunDurationMs: number;
}

interface ScoringJobEvents {
  run: [ScoringRunReport];
  overlap: [{ at: number }];
  failed: [{ at: number; error: Error }];
}

export interface ScoringJob extends EventEmitter<ScoringJobEvents> {
  readonly cron: string;
  start(): void;
  /** Stops the schedule and waits for a run in progress to finish. */
  stop(): Promise<void>;
  /** One run now; null when another run is still going (the two never overlap). */
  runOnce(now?: number): Promise<ScoringRunReport | null>;
  stats(): ScoringJobStats;
}

/** Throws a ConfigError naming the field node-cron refused. */
export function assertScoringCron(expression: string): void {
  const check = cron.validateDetailed(expression);
  if (check.valid) return;
  const problems = check.errors.map((e) => e.message).join('; ');
  throw new ConfigError(
    `scoring cron "${expression}" is not a valid cron expression (${problems}); use 5 fields, or 6 with seconds first, e.g. "${defaultScoringCron}"`,
  );
}

const pairKey = (risk: Risk) => `${risk.deviceId}\u0000${risk.component}`;

/**
 * Scores every device with fresh data on a node-cron schedule: selects the devices, scores them,
 * writes the risks to the store and then hands them to the sink. Runs never overlap. A failing store
 * or sink is logged and counted, never fatal: risks the store refused are scored again next run, and
 * stored risks the sink refused are offered again next run (the newest per device × component, so
 * that backlog is bounded by the fleet's device × component count).
 */
export function createScoringJob(options: ScoringJobOptions): ScoringJob {
  const expression = options.cron ?? defaultScoringCron;
  assertScoringCron(expression);
  const clock = options.clock ?? Date.now;
  const freshnessMs = options.freshnessMs ?? dayMs;
  const log = options.logger.child({ component: 'scoring-job' });
  const { store, sink } = options;

  const emitter = new EventEmitter<ScoringJobEvents>();
  const counters: ScoringJobStats = {
    runs: 0,
    failedRuns: 0,
    overlapsSkipped: 0,
    devicesScored: 0,
    devicesSkipped: 0,
    risksWritten: 0,
    storeFailures: 0,
    sinkFailures: 0,
    risksAwaitingSink: 0,
    running: 0,
    lastRunAt: 0,
    lastRunDurationMs: 0,
  };
  /** Per device, the newest scoredAt stored or the last run that tried and skipped it. */
  let lastScoredAt: Map<string, number> | undefined;
  const awaitingSink = new Map<string, Risk>();
  let current: Promise<ScoringRunReport | null> | undefined;
  let task: ScheduledTask | undefined;

  async function scoredSoFar(): Promise<Map<string, number>> {
    if (lastScoredAt) return lastScoredAt;
    const seen = new Map<string, number>();
    for (const risk of await store.latestRisks())
      seen.set(risk.deviceId, Math.max(seen.get(risk.deviceId) ?? risk.scoredAt, risk.scoredAt));
    lastScoredAt = seen;
    return seen;
  }

  async function handToSink(): Promise<number> {
    if (awaitingSink.size === 0) return 0;
    const risks = [...awaitingSink.values()];
    try {
      await sink.acceptRisks(risks);
    } catch (err) {
      counters.sinkFailures += 1;
      log.error({ err, risks: risks.length }, 'the risk sink failed; its risks are offered again next run');
      return 0;
    }
    // Only what was offered leaves the backlog (nothing else can join it while a run is going).
    for (const risk of risks)
      if (awaitingSink.get(pairKey(risk)) === risk) awaitingSink.delete(pairKey(risk));
    return risks.length;
  }

  async function run(now: number): Promise<ScoringRunReport> {
    const started = performance.now();
    const scored = await scoredSoFar();
    const latest = await store.latest();
    const selection = selectDevicesToScore({ latest, lastScoredAt: scored, now, freshnessMs });
    const result: ScoringResult =
      selection.deviceIds.length > 0
        ? await options.score(selection.deviceIds, now)
        : { risks: [], skipped: [] };

    let stored = false;
    if (result.risks.length > 0) {
      try {
        await store.writeRisks(result.risks);
        stored = true;
      } catch (err) {
        counters.storeFailures += 1;
        log.error(
          { err, risks: result.risks.length },
          'storing risks failed; the devices are scored again next run',
        );
      }
    }
    const scoredDevices = new Set(result.risks.map((r) => r.deviceId));
    if (stored) {
      counters.risksWritten += result.risks.length;
      for (const risk of result.risks) {
        scored.set(risk.deviceId, Math.max(scored.get(risk.deviceId) ?? risk.scoredAt, risk.scoredAt));
        const key = pairKey(risk);
        const waiting = awaitingSink.get(key);
        if (!waiting || waiting.scoredAt <= risk.scoredAt) awaitingSink.set(key, risk);
      }
    }
    // Skipped devices (and any the scorer passed over) wait for new data before they are tried again,
    // unless what they lacked was a model: an activation must not wait for their next sample.
    const retry = new Set(result.skipped.filter((s) => s.retry).map((s) => s.deviceId));
    for (const deviceId of selection.deviceIds)
      if (!scoredDevices.has(deviceId) && !retry.has(deviceId)) scored.set(deviceId, now);
    const handedToSink = await handToSink();

    const report: ScoringRunReport = {
      at: now,
      devicesWithData: latest.length,
      selected: selection.deviceIds.length,
      stale: selection.stale,
      unchanged: selection.unchanged,
      devicesScored: stored ? scoredDevices.size : 0,
      skipped: result.skipped.length,
      risks: result.risks.length,
      stored,
      handedToSink,
      awaitingSink: awaitingSink.size,
      durationMs: Math.round(performance.now() - started),
    };
    counters.devicesScored += report.devicesScored;
    counters.devicesSkipped += report.skipped;
    const skippedReasons: Record<string, number> = {};
    for (const { reason } of result.skipped) skippedReasons[reason] = (skippedReasons[reason] ?? 0) + 1;
    log.info(
      { ...report, skippedReasons, backend: options.backend ?? 'unknown', store: store.kind },
      'scoring run',
    );
    return report;
  }

  function runExclusive(now: number, reason: 'scheduled' | 'invoked'): Promise<ScoringRunReport | null> {
    if (current) {
      counters.overlapsSkipped += 1;
      log.warn({ at: now, reason }, 'a scoring run is still going; this one is skipped');
      emitter.emit('overlap', { at: now });
      return Promise.resolve(null);
    }
    counters.running = 1;
    const started = performance.now();
    const thisRun = run(now).then(
      (report) => {
        counters.runs += 1;
        emitter.emit('run', report);
        return report;
      },
      (err: unknown) => {
        counters.runs += 1;
        counters.failedRuns += 1;
        const error = err instanceof Error ? err : new Error(String(err));
        log.error({ err: error, at: now }, 'scoring run failed; the next run starts afresh');
        emitter.emit('failed', { at: now, error });
        return null;
      },
    );
    current = thisRun.finally(() => {
      counters.running = 0;
      counters.lastRunAt = now;
      counters.lastRunDurationMs = Math.round(performance.now() - started);
      current = undefined;
    });
    return current;
  }

  const cronLogger = {
    info: (message: string) => log.debug({ source: 'node-cron' }, message),
    warn: (message: string) => log.warn({ source: 'node-cron' }, message),
    error: (message: string | Error, err?: Error) =>
      log.error({ source: 'node-cron', err: err ?? message }, String(message)),
    debug: (message: string | Error) => log.debug({ source: 'node-cron' }, String(message)),
  };

  return Object.assign(emitter, {
    cron: expression,
    start(): void {
      if (task) return;
      task = cron.createTask(expression, () => void runExclusive(clock(), 'scheduled'), {
        name: 'aftercare-scoring',
        logger: cronLogger,
      });
      void task.start();
      log.info({ cron: expression, freshnessMs }, 'scoring job scheduled');
    },
    async stop(): Promise<void> {
      const scheduled = task;
      task = undefined;
      if (scheduled) await scheduled.destroy();
      await current;
    },
    runOnce(now: number = clock()): Promise<ScoringRunReport | null> {
      return runExclusive(now, 'invoked');
    },
    stats(): ScoringJobStats {
      return { ...counters, risksAwaitingSink: awaitingSink.size };
    },
  });
}
