import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AftercareError, deviceModels, type Logger } from '@aftercare/core';

export interface TrainingFleet {
  /** Seed of the training fleet; the validation fleet is seed + 1. */
  seed: number;
  devices: number;
  days: number;
}

export interface TrainedModels {
  /** Data directory whose `models/` holds an active version per device model. */
  dir: string;
  cached: boolean;
  seconds: number;
}

const trainScript = fileURLToPath(new URL('../models/train-demo-models.ts', import.meta.url));

/** Where the models trained on one training fleet are kept between runs. */
export function trainedModelsDir(cacheDir: string, fleet: TrainingFleet): string {
  return join(cacheDir, `fleet-models-seed${fleet.seed}-${fleet.devices}x${fleet.days}d`);
}

function complete(dir: string): boolean {
  return deviceModels.every((m) => existsSync(join(dir, 'models', m, 'active.json')));
}

/**
 * The fleet models the backtest scores with, trained once per training fleet and kept in the cache
 * directory, so that a rerun skips the minute of training. Training runs in a child process (the same
 * script as the demo's), on simulated fleets of other seeds than the backtest's.
 */
export async function ensureTrainedModels(
  cacheDir: string,
  fleet: TrainingFleet,
  logger: Logger,
): Promise<TrainedModels> {
  const dir = trainedModelsDir(cacheDir, fleet);
  if (complete(dir)) return { dir, cached: true, seconds: 0 };
  // A folder from a run that stopped half-way is started again rather than trusted.
  rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  logger.info(
    { trainingSeed: fleet.seed, devices: fleet.devices, days: fleet.days, dir },
    'training the fleet models (cached for later runs)',
  );
  const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
  const child = spawn(
    process.execPath,
    [tsxCli, trainScript, dir, String(fleet.seed), String(fleet.devices), String(fleet.days)],
    // Its log lines go to stderr with ours: stdout is kept for the report.
    {
      stdio: ['ignore', process.stderr, process.stderr],
      env: { ...process.env, AFTERCARE_LOG_LEVEL: 'warn' },
    },
  );
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  });
  if (code !== 0 || !complete(dir)) {
    rmSync(dir, { recursive: true, force: true });
    throw new AftercareError('BACKTEST_TRAINING_FAILED', `training the fleet models failed (exit ${code})`);
  }
  return { dir, cached: false, seconds: (performance.now() - started) / 1000 };
}
