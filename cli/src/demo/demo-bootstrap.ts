import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deviceModels, type Logger } from '@aftercare/core';
import type { DeviceSpec } from '@aftercare/device-sim';
import type { TelemetryStore } from '@aftercare/ingest';
import type { ModelRegistry } from '@aftercare/models';
import { z } from 'zod';
import { writeSimulatedTelemetry } from '../models/sim-history.ts';

const DAY_MS = 86_400_000;
const historyMarker = 'demo-history.json';
const historyMarkerSchema = z.object({ devices: z.number().int().nonnegative() });

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Gives the demo fleet the past a first start lacks: hourly telemetry and events straight into the
 * store up to `until` (where the live replay takes over), so that the models have the two weeks they
 * need before they can score anything. Written once per data directory; the simulation is a pure
 * function of the specs, so the replay continues exactly this history.
 */
export async function backfillDemoHistory(options: {
  store: TelemetryStore;
  specs: readonly DeviceSpec[];
  days: number;
  until: number;
  dataDir: string;
  logger: Logger;
}): Promise<{ samples: number; events: number } | null> {
  const marker = join(options.dataDir, historyMarker);
  if (existsSync(marker)) {
    // A marker that is unreadable or from a smaller fleet means the history is written (again): writes are idempotent.
    const done = historyMarkerSchema.safeParse(safeJson(readFileSync(marker, 'utf8')));
    if (done.success && done.data.devices >= options.specs.length) return null;
  }
  const from = options.until - options.days * DAY_MS;
  const started = Date.now();
  options.logger.info(
    { devices: options.specs.length, days: options.days },
    'writing the demo fleet history into the store (first start)',
  );
  const written = await writeSimulatedTelemetry(options.store, options.specs, from, options.until);
  writeFileSync(
    marker,
    JSON.stringify({ devices: options.specs.length, from, to: options.until, ...written }, null, 2),
  );
  options.logger.info(
    { ...written, seconds: Math.round((Date.now() - started) / 100) / 10 },
    'demo fleet history written',
  );
  return written;
}

export interface DemoModelTraining {
  /** Resolves when every device model has an active version (true) or training failed (false). */
  done: Promise<boolean>;
  stop(): void;
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
  const done = new Promise<boolean>((resolve) => {
    child.on('error', (err) => {
      log.error({ err }, 'could not start model training');
      resolve(false);
    });
    child.on('exit', (code, signal) => {
      if (code === 0) log.info('failure models trained and active');
      else if (signal !== 'SIGTERM')
        log.error({ code, signal }, 'model training failed; risks stay unscored');
      resolve(code === 0);
    });
  });
  return {
    done,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}
