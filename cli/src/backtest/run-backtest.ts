import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Logger, ValidationError } from '@aftercare/core';
import { runArmProcess } from './arm-runner.ts';
import { type BacktestReport, backtestReport } from './backtest-report.ts';
import type { ArmKind, ArmMessage, ArmOptions, ArmResult } from './backtest-types.ts';
import { armProgress } from './progress.ts';
import { checkRunDirs, makeRunDataDir } from './run-dirs.ts';
import { ensureTrainedModels, type TrainingFleet } from './trained-models.ts';

export interface BacktestOptions {
  seed: number;
  devices: number;
  days: number;
  scoreEveryHours: number;
  training: TrainingFleet;
  cacheDir: string;
  /**
   * A new or empty folder, created when missing and kept afterwards; null: a temp folder of the run's
   * own, removed afterwards unless `keepData`.
   */
  dataDir: string | null;
  /** Keep the temp data folder (no effect on a `dataDir`, which is always kept). */
  keepData: boolean;
  /** Arms one after the other instead of side by side (one core). */
  sequential: boolean;
  /** Non-urgent predictive work waits for the evening route fill (`AFTERCARE_PREDICTIVE_ROUTE_FILL`). */
  predictiveRouteFill: boolean;
  logLevel: string;
  /** Aborting it stops the run and every process it started (the training and the two arms). */
  signal?: AbortSignal;
}

/** Where the warm-up starts: in the year the training fleets were simulated over (same climate). */
export const warmupStart = Date.UTC(2025, 0, 1);
/** Days of history before the start: the scorer reads 14. */
export const warmupDays = 15;

/**
 * The whole-fleet backtest: the fleet models (cached by training fleet) and the rule baseline each drive
 * the service automation over the same simulated fleet, in two processes, and their figures are put side
 * by side with the dispatch planner against the greedy rule on the backtest's own days.
 */
export async function runBacktest(options: BacktestOptions, logger: Logger): Promise<BacktestReport> {
  const started = performance.now();
  const { seed, training } = options;
  if (seed === training.seed || seed === training.seed + 1)
    throw new ValidationError(
      `--seed: ${seed} is a seed the models train or validate on (${training.seed}, ${training.seed + 1}); pick another or change --train-seed`,
    );
  // Before the models are trained (minutes with an empty cache), not after.
  checkRunDirs({ dataDir: options.dataDir, cacheDir: options.cacheDir });
  const models = await ensureTrainedModels(
    options.cacheDir,
    training,
    logger,
    process.stderr,
    options.signal,
  );
  logger.info(
    { dir: models.dir, trainingSeed: training.seed },
    models.cached
      ? 'fleet models taken from the cache (trained on another seed); training skipped'
      : `fleet models trained in ${models.seconds.toFixed(0)} s and cached for later runs`,
  );
  // Stopped while the models trained: before a data folder is made that nothing would remove.
  options.signal?.throwIfAborted();
  const { dir: dataDir, temporary } = makeRunDataDir(options.dataDir);
  const removeData = temporary && !options.keepData;
  const backends = new Map<ArmKind, string>();
  const progress = armProgress(logger, options.days);
  const onMessage = (m: ArmMessage) => {
    if (m.type === 'backend') {
      if (!backends.has(m.kind)) logger.info({ arm: m.kind }, `tensorflow backend: ${m.name} (${m.reason})`);
      backends.set(m.kind, m.name);
    } else if (m.type === 'progress') progress.update(m.kind, m.phase, m.day, m.days);
  };
  const armOptions = (kind: ArmKind): ArmOptions => ({
    kind,
    seed,
    devices: options.devices,
    days: options.days,
    dataDir: join(dataDir, kind),
    modelsDir: models.dir,
    scoreEveryHours: options.scoreEveryHours,
    predictiveRouteFill: options.predictiveRouteFill,
    warmupStart,
    warmupDays,
    logLevel: options.logLevel,
  });
  let model: ArmResult;
  let baseline: ArmResult;
  // When one arm fails, the other is stopped rather than left running on its own.
  const abort = new AbortController();
  const stopped = options.signal ? AbortSignal.any([abort.signal, options.signal]) : abort.signal;
  const arm = (kind: ArmKind) =>
    runArmProcess(armOptions(kind), onMessage, stopped).catch((err: unknown) => {
      abort.abort();
      throw err;
    });
  try {
    if (options.sequential) {
      model = await arm('model');
      baseline = await arm('baseline');
    } else {
      [model, baseline] = await Promise.all([arm('model'), arm('baseline')]);
    }
  } finally {
    progress.stop();
    // Only the temp folder the run made itself: a folder the user named is theirs.
    if (removeData) rmSync(dataDir, { recursive: true, force: true });
  }
  return backtestReport({
    seed,
    devices: options.devices,
    days: options.days,
    model,
    baseline,
    run: {
      backend: model.backend,
      trainingSeed: training.seed,
      trainingFleet: `${training.devices} devices × ${training.days} days (validation: seed ${training.seed + 1})`,
      modelsCached: models.cached,
      trainingSeconds: Math.round(models.seconds),
      armSeconds: { model: Math.round(model.seconds), baseline: Math.round(baseline.seconds) },
      wallSeconds: Math.round((performance.now() - started) / 1000),
      scoreEveryHours: options.scoreEveryHours,
      predictiveRouteFill: options.predictiveRouteFill,
      cpuSeconds: { model: model.cpuSeconds, baseline: baseline.cpuSeconds },
      dataDir: removeData ? null : dataDir,
    },
  });
}
