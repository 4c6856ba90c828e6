import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { AftercareError, deviceModels, type Logger } from '@aftercare/core';
import { type ProgressStream, trainingProgress } from './training-progress.ts';

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
 * script as the demo's), on simulated fleets of other seeds than the backtest's. Meanwhile `out`
 * shows a progress bar when a person watches it, and the process's log lines otherwise.
 */
export async function ensureTrainedModels(
  cacheDir: string,
  fleet: TrainingFleet,
  logger: Logger,
  out: ProgressStream = process.stderr,
  /** Aborting it stops the training process, which would otherwise outlive the backtest. */
  signal?: AbortSignal,
): Promise<TrainedModels> {
  const dir = trainedModelsDir(cacheDir, fleet);
  if (complete(dir)) return { dir, cached: true, seconds: 0 };
  // A folder from a run that stopped half-way is started again rather than trusted.
  rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  const progress = trainingProgress(out, { ...fleet, dir }, logger);
  const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
  const child = spawn(
    process.execPath,
    [tsxCli, trainScript, dir, String(fleet.seed), String(fleet.devices), String(fleet.days)],
    // Its lines go to `out` (stderr) through the progress, never to stdout, which is kept for the
    // report; its info lines are what the progress bar is drawn from.
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AFTERCARE_LOG_LEVEL: 'info' },
      ...(signal ? { signal } : {}),
    },
  );
  logger.debug({ pid: child.pid }, 'training process started');
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) =>
      progress.line(line),
    );
  let code: number | null = null;
  try {
    // 'close': the process has exited and its output has been read to the end.
    code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c) => resolve(c));
    });
  } finally {
    progress.stop(code === 0 && complete(dir));
  }
  if (code !== 0 || !complete(dir)) {
    rmSync(dir, { recursive: true, force: true });
    throw new AftercareError('BACKTEST_TRAINING_FAILED', `training the fleet models failed (exit ${code})`);
  }
  return { dir, cached: false, seconds: (performance.now() - started) / 1000 };
}
