import { join } from 'node:path';
import type { Logger } from '@aftercare/core';
import type { DeviceSpec } from '@aftercare/device-sim';
import { createSqliteStore, type SqliteTelemetryStore } from '@aftercare/ingest';
import {
  createDatabase,
  createServiceRepositories,
  type ServiceDatabase,
  type ServiceRepositories,
  seedDemoWorld,
} from '@aftercare/service';
import { type DemoWorld, generateDemoWorld } from '@aftercare/service/automation';
import { demoFleetDevices, registerFleet } from '../fleet-world.ts';

/**
 * Virtual time for the service side. Every reading is a distinct millisecond inside the current hour,
 * so records written in one simulated hour still have an order (the service sorts by creation time,
 * then by random id), which keeps a seed's backtest deterministic.
 */
export class SteppedClock {
  private at = 0;
  private ticks = 0;

  /** Moves to `ts`; never backwards, so readings stay distinct when two events share a time. */
  set(ts: number): void {
    if (ts < this.at + this.ticks) return;
    this.at = ts;
    this.ticks = 0;
  }

  readonly now = (): number => this.at + this.ticks++;
}

export interface BacktestWorld {
  db: ServiceDatabase;
  repositories: ServiceRepositories;
  store: SqliteTelemetryStore;
  /** The generated world `seedDemoWorld` wrote: technicians as the planners see them, stock, contracts. */
  world: DemoWorld;
  close(): Promise<void>;
}

/**
 * A fresh service database and telemetry store in `dataDir`, the simulated fleet registered as devices,
 * and the demo world seeded around it (customers and sites, partners, about 20 technicians, warehouse,
 * depots and vans with stock, AMC contracts) as of `now`, the backtest's start.
 */
export async function createBacktestWorld(options: {
  dataDir: string;
  specs: readonly DeviceSpec[];
  seed: number;
  now: number;
  clock: SteppedClock;
  logger: Logger;
}): Promise<BacktestWorld> {
  const { specs, logger, clock } = options;
  clock.set(options.now);
  const db = await createDatabase({ dataDir: options.dataDir });
  const repositories = createServiceRepositories(db, { clock: clock.now });
  // No compaction runs here, so the retention is only what the store requires to be positive.
  const store = createSqliteStore({
    file: join(options.dataDir, 'telemetry.db'),
    retentionDays: 3650,
    logger,
  });
  await store.init();
  await registerFleet(repositories, specs);
  const devices = demoFleetDevices(specs);
  await seedDemoWorld({
    repositories,
    devices,
    seed: options.seed,
    now: options.now,
    // The accounts are never logged into here; the password only has to be valid.
    demoPassword: 'backtest-only-password',
    logger,
  });
  const world = generateDemoWorld({ seed: options.seed, now: options.now, devices });
  return {
    db,
    repositories,
    store,
    world,
    async close() {
      await store.close();
      await db.destroy();
    },
  };
}
