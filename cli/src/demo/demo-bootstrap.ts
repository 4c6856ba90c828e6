import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deviceModels, type Logger } from '@aftercare/core';
import type { DeviceSpec } from '@aftercare/device-sim';
import type { TelemetryStore } from '@aftercare/ingest';
import type { ModelRegistry } from '@aftercare/models';
import {
  createDatabase,
  type DemoHistoryFailure,
  type DemoHistoryResult,
  hasDemoHistory,
  seedDemoHistory,
} from '@aftercare/service';
import { z } from 'zod';
import { simulateDemoHistory, writeDemoHistory } from './demo-history.ts';

const DAY_MS = 86_400_000;
const historyMarker = 'demo-history.json';
/**
 * Version 2: a year of history with the service's side of it (caught failures repaired in the
 * telemetry too). A version-1 marker (30 days, no service history) or none means it is written (again):
 * telemetry writes are idempotent per device and timestamp.
 */
const historyMarkerSchema = z.object({
  version: z.literal(2),
  devices: z.number().int().nonnegative(),
  days: z.number().int().positive(),
  from: z.number().int(),
  to: z.number().int(),
});
const oldMarkerSchema = z.object({
  devices: z.number().int().nonnegative(),
  to: z.number().int().optional(),
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The demo fleet's past: where it ends, and (when simulated in this run) its failures and their outcome. */
export interface DemoHistory {
  from: number;
  until: number;
  /** Null when the telemetry was there already: `ensureDemoServiceHistory` simulates again if it needs them. */
  failures: DemoHistoryFailure[] | null;
  written: { samples: number; events: number; seconds: number } | null;
}

/**
 * Gives the demo fleet the past a first start lacks: a year of hourly telemetry and events straight
 * into the store up to `until` (where the live replay takes over), with the failures the service
 * caught repaired before they happened, so that the models have history to score and the trend screens
 * a year to show. Written once per data directory; the simulation is a pure function of the specs, so
 * the replay continues exactly this history. A data directory with an older, shorter history keeps
 * its end (`to`) and gets the year before it.
 */
export async function backfillDemoHistory(options: {
  store: TelemetryStore;
  specs: readonly DeviceSpec[];
  days: number;
  until: number;
  seed: number;
  dataDir: string;
  logger: Logger;
}): Promise<DemoHistory> {
  const marker = join(options.dataDir, historyMarker);
  let until = options.until;
  if (existsSync(marker)) {
    const json = safeJson(readFileSync(marker, 'utf8'));
    const done = historyMarkerSchema.safeParse(json);
    if (done.success && done.data.devices >= options.specs.length && done.data.days >= options.days)
      return { from: done.data.from, until: done.data.to, failures: null, written: null };
    const old = oldMarkerSchema.safeParse(json);
    if (old.success && old.data.to !== undefined) until = old.data.to;
  }
  const from = until - options.days * DAY_MS;
  const started = Date.now();
  options.logger.info(
    { devices: options.specs.length, days: options.days },
    'writing a year of demo fleet history into the store (first start; takes a little while)',
  );
  const history = await writeDemoHistory(options.store, options.specs, { from, until, seed: options.seed });
  const written = {
    samples: history.samples,
    events: history.events,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  writeFileSync(
    marker,
    JSON.stringify(
      { version: 2, devices: options.specs.length, days: options.days, from, to: until, ...written },
      null,
      2,
    ),
  );
  options.logger.info({ ...written, failures: history.failures.length }, 'demo fleet history written');
  return { from, until, failures: history.failures, written };
}

/**
 * Writes the service's side of the demo history (tickets, visits, parts, feedback, claims) once the
 * demo world is seeded, through a database connection of its own with the history's clock. Skipped
 * when the database has it already.
 */
export async function ensureDemoServiceHistory(options: {
  dataDir: string;
  specs: readonly DeviceSpec[];
  history: DemoHistory;
  seed: number;
  logger: Logger;
}): Promise<DemoHistoryResult | null> {
  const db = await createDatabase({ dataDir: options.dataDir });
  try {
    if (await hasDemoHistory(db)) return null;
    const failures =
      options.history.failures ??
      (
        await simulateDemoHistory(options.specs, {
          from: options.history.from,
          until: options.history.until,
          seed: options.seed,
        })
      ).failures;
    return await seedDemoHistory({
      db,
      failures,
      from: options.history.from,
      until: options.history.until,
      seed: options.seed,
      logger: options.logger,
    });
  } finally {
    await db.destroy();
  }
}

export interface DemoModelTraining {
  /** Resolves when every device model has an active version (true) or training failed (false). */
  done: Promise<boolean>;
  stop(): void;
}

/**
 * Whether the training child ended because the platform is stopping, not because training failed.
 * It runs under tsx, which passes a signal on and then exits 128 + its number rather than by the
 * signal: 130 for SIGINT (Ctrl-C reaches the whole process group, the child often before the
 * platform has called stop()), 143 for SIGTERM (stop() itself, or a SIGTERM to the group).
 */
export function endedByStop(code: number | null, signal: NodeJS.Signals | null, stopping: boolean): boolean {
  if (code === 130 || code === 143 || signal === 'SIGINT' || signal === 'SIGTERM') return true;
  return stopping && signal !== null;
}

const trainScript = fileURLToPath(new URL('../models/train-demo-models.ts', import.meta.url));

/**
 * Trains and activates the fleet models in a child process when some device model has no active
 * version yet. The models are trained on simulated fleets of other seeds than the demo fleet, so the
 * demo's risks are predictions, not memories. The running scorer picks them up without a restart.
 */
export async function ensureDemoModels(options: {
  models: ModelRegistry;
  dataDir: string;
  seed: number;
  logger: Logger;
  devices?: number;
  days?: number;
}): Promise<DemoModelTraining | null> {
  const missing = [];
  for (const model of deviceModels) if (!(await options.models.list(model)).length) missing.push(model);
  if (missing.length === 0) return null;
  const log = options.logger.child({ component: 'demo-models' });
  const devices = options.devices ?? 160;
  const days = options.days ?? 365;
  log.info(
    { missing, devices, days, trainingSeed: options.seed },
    'no failure models yet: training them on a simulated fleet in the background (a few minutes); devices are scored once they are active',
  );
  const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
  const child = spawn(
    process.execPath,
    [tsxCli, trainScript, options.dataDir, String(options.seed), String(devices), String(days)],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: process.env,
    },
  );
  let stopping = false;
  const done = new Promise<boolean>((resolve) => {
    child.on('error', (err) => {
      log.error({ err }, 'could not start model training');
      resolve(false);
    });
    child.on('exit', (code, signal) => {
      if (code === 0) log.info('failure models trained and active');
      else if (endedByStop(code, signal, stopping))
        log.info({ code, signal }, 'model training stopped by a signal; it runs again at the next start');
      else log.error({ code, signal }, 'model training failed; risks stay unscored');
      resolve(code === 0);
    });
  });
  return {
    done,
    stop: () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
