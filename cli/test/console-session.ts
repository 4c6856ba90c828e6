import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type HeldClock, heldClock } from '@aftercare/core';
import { ensureConsoleBuilt } from '../src/console/serve-console.ts';
import { type RunningPlatform, startPlatform } from '../src/platform.ts';
import { Api } from './helpers.ts';
import { testPlatformConfig } from './platform-config.ts';

/** The console's browser tests share this: the platform on free ports, the console built and served. */
export interface ConsolePlatform {
  dataDir: string;
  platform: RunningPlatform;
  base: string;
  api: Api;
  /** Runs `act` with the service's clock held at `instant`: a technician starts a job on its day. */
  at: HeldClock['at'];
}

/**
 * Builds the console if needed, makes the screenshot folder, and starts the platform in a fresh data
 * directory (prefix `dataDirPrefix`) with the console, no simulated devices and no scoring.
 */
export async function startConsolePlatform(options: {
  dataDirPrefix: string;
  adminToken: string;
  screenshots: string;
}): Promise<ConsolePlatform> {
  mkdirSync(options.screenshots, { recursive: true });
  await ensureConsoleBuilt({ logger: createLogger({ level: 'warn' }) });
  const dataDir = mkdtempSync(join(tmpdir(), options.dataDirPrefix));
  const config = testPlatformConfig(dataDir, options.adminToken);
  // The tests book reported problems by hand, as a service desk would, on boards that must hold still.
  const time = heldClock();
  const platform = await startPlatform({
    config,
    console: true,
    scoring: false,
    correctiveDispatch: false,
    clock: time.now,
  });
  const base = platform.httpUrl!;
  return { dataDir, platform, base, api: new Api(base, options.adminToken), at: time.at };
}
