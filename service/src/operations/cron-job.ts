import { EventEmitter } from 'node:events';
import { ConfigError, type Logger } from '@aftercare/core';
import cron, { type ScheduledTask } from 'node-cron';

export interface CronJobEvents<R> {
  run: [R];
  failed: [{ at: number; error: Error }];
}

/** A job of the service's operations that runs on a node-cron schedule and on demand. */
export interface CronJob<R> extends EventEmitter<CronJobEvents<R>> {
  readonly cron: string;
  start(): void;
  /** Stops the schedule and waits for a run in progress. */
  stop(): Promise<void>;
  /** One run now; null when a run is already going (or the run failed: see the `failed` event). */
  runOnce(now?: number): Promise<R | null>;
}

export interface CronJobOptions<R> {
  /** node-cron task name and what the job is called in messages, e.g. "AMC scheduler". */
  name: string;
  label: string;
  /** 5 fields, or 6 with seconds first. */
  expression: string;
  /** Shown as an example when the expression is invalid. */
  example: string;
  timezone?: string;
  clock: () => number;
  logger: Logger;
  run(now: number): Promise<R>;
  /** What the log line of a finished run carries. */
  summary(report: R): Record<string, unknown>;
  /** A run that found nothing to do is logged at debug: a job that runs every minute would fill the log. */
  idle?(report: R): boolean;
  doneMessage: string;
  startFields?: Record<string, unknown>;
}

/**
 * The schedule around a job: an invalid expression fails at construction with the variable's words,
 * runs never overlap (a tick during a run is skipped and logged), and a failed run is logged and
 * emitted without stopping the schedule.
 */
export function createCronJob<R>(options: CronJobOptions<R>): CronJob<R> {
  const check = cron.validateDetailed(options.expression);
  if (!check.valid)
    throw new ConfigError(
      `${options.label} cron "${options.expression}" is not a valid cron expression (${check.errors.map((e) => e.message).join('; ')}); e.g. "${options.example}"`,
    );
  const { clock, logger: log } = options;
  const emitter = new EventEmitter<CronJobEvents<R>>();
  let task: ScheduledTask | undefined;
  let current: Promise<R | null> | undefined;

  function runExclusive(now: number): Promise<R | null> {
    if (current) {
      log.warn({ at: now }, `${options.label}: a run is still going; this tick is skipped`);
      return Promise.resolve(null);
    }
    current = options
      .run(now)
      .then(
        (report) => {
          if (options.idle?.(report)) log.debug(options.summary(report), options.doneMessage);
          else log.info(options.summary(report), options.doneMessage);
          emitter.emit('run', report);
          return report;
        },
        (err: unknown) => {
          const error = err instanceof Error ? err : new Error(String(err));
          log.error({ err: error, at: now }, `${options.label} run failed; the next run starts afresh`);
          emitter.emit('failed', { at: now, error });
          return null;
        },
      )
      .finally(() => {
        current = undefined;
      });
    return current;
  }

  return Object.assign(emitter, {
    cron: options.expression,
    start(): void {
      if (task) return;
      task = cron.createTask(options.expression, () => void runExclusive(clock()), {
        name: options.name,
        ...(options.timezone ? { timezone: options.timezone } : {}),
      });
      void task.start();
      log.info({ cron: options.expression, ...options.startFields }, `${options.label} started`);
    },
    async stop(): Promise<void> {
      const scheduled = task;
      task = undefined;
      if (scheduled) await scheduled.destroy();
      await current;
    },
    runOnce(now: number = clock()): Promise<R | null> {
      return runExclusive(now);
    },
  });
}
