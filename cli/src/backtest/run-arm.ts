import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type DeviceModel, type Risk } from '@aftercare/core';
import { Fleet, fleetSpecs, type GroundTruthRecord } from '@aftercare/device-sim';
import { createModelRegistry, type DeviceToScore, initBackend } from '@aftercare/models';
import {
  createAmcRouteFill,
  createAmcScheduler,
  createRemoteTroubleshooting,
  createRiskSink,
  type ServiceDatabase,
  withRemoteTroubleshooting,
} from '@aftercare/service';
import { defaultRiskThresholds, localDayStart, ROUTE_FILL_HOUR } from '@aftercare/service/automation';
import type { ArmMessage, ArmOptions, ArmResult, RouteFillTotals } from './backtest-types.ts';
import { DAY_MS, HOUR_MS } from './backtest-types.ts';
import { createBacktestWorld, SteppedClock } from './backtest-world.ts';
import { compareDispatchDays } from './dispatch-days.ts';
import { FleetTelemetry } from './fleet-telemetry.ts';
import { armFigures, Ledger, travelKm } from './ledger.ts';
import { PhaseTimer } from './phase-timer.ts';
import { RemoteDesk } from './remote-desk.ts';
import { riskSource } from './risk-sources.ts';
import { ServiceDesk } from './service-desk.ts';

/** Days before a failure of the warm-up is repaired by the world (the service side starts at the backtest's start). */
const warmupRepairDays = 2;
/** The warehouse's standing supplier order: topped up to its first stock every this many days. */
const restockEveryDays = 7;

/**
 * One arm of the backtest, in virtual time on a fresh data directory: the simulated fleet steps hour by
 * hour into the real SQLite telemetry store; every `scoreEveryHours` its risks (the fleet models', or the
 * rule baseline's) go through the real risk automation (predictive tickets, parts, dispatch) on the real
 * SQLite service database; the AMC scheduler runs daily; failures become corrective tickets; technicians
 * make their visits at their appointments and repair the simulated devices. A warm-up before the start
 * gives the scorer its two weeks of history.
 */
export async function runArm(options: ArmOptions, send: (m: ArmMessage) => void): Promise<ArmResult> {
  const started = performance.now();
  const logger = createLogger({
    level: options.logLevel,
    name: `backtest-${options.kind}`,
    destination: process.stderr,
  });
  const backend = await initBackend('node', () => {});
  send({ type: 'backend', kind: options.kind, name: backend.name, reason: backend.reason });

  const start = options.warmupStart + options.warmupDays * DAY_MS;
  const end = start + options.days * DAY_MS;
  const specs = fleetSpecs({ seed: options.seed, devices: options.devices, start: options.warmupStart });
  // The service side repairs the devices (corrective and predictive visits), not the simulator.
  const fleet = new Fleet(specs, options.warmupStart, { autoRepair: false, intervalMs: HOUR_MS });
  const models = new Map<string, DeviceModel>(specs.map((s) => [s.id, s.model]));
  const clock = new SteppedClock();
  const world = await createBacktestWorld({
    dataDir: options.dataDir,
    specs,
    seed: options.seed,
    now: start,
    clock,
    logger,
  });
  const { db, repositories, store } = world;
  const registry = createModelRegistry({ dataDir: options.modelsDir, logger });
  const ledger = new Ledger(start, end);
  const desk = new ServiceDesk({
    db,
    repositories,
    clock,
    fleet,
    ledger,
    models,
    warehouseIds: new Set(world.world.stockLocations.filter((l) => l.kind === 'warehouse').map((l) => l.id)),
    logger,
  });
  // Remote troubleshooting as the platform runs it, the devices answering in-process (no broker).
  const remoteDesk = new RemoteDesk({ db, fleet, ledger, models });
  const remote = createRemoteTroubleshooting({
    repositories,
    publisher: remoteDesk.publisher,
    logger,
    clock: clock.now,
    store,
  });
  const sink = withRemoteTroubleshooting(
    createRiskSink({
      repositories,
      db,
      logger,
      clock: clock.now,
      routeFill: options.predictiveRouteFill,
    }),
    remote,
    logger,
  );
  const amc = createAmcScheduler({ repositories, logger, clock: clock.now });
  const routeFill = createAmcRouteFill({
    repositories,
    logger,
    clock: clock.now,
    predictive: options.predictiveRouteFill,
  });
  // The route fill runs on the first hour of the simulation's grid at or after ROUTE_FILL_HOUR local.
  const offsetMs = world.world.region.utcOffsetMin * 60_000;
  const eveningAt = (ts: number) => ((((ts + offsetMs) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
  const risks = riskSource(options.kind, registry, store);
  const handled = new Map<string, number>();
  const telemetry = new FleetTelemetry(fleet, store);
  const cpu = new PhaseTimer();
  const routeFillKeys = ['filled', 'lastChance', 'late', 'predictive', 'released'] as const;
  const fillTotals: RouteFillTotals = { filled: 0, lastChance: 0, late: 0, predictive: 0, released: 0 };

  try {
    // Warm-up: the devices' recent past, repaired by the world as it would have been.
    const worldRepairs: GroundTruthRecord[] = [];
    for (let ts = options.warmupStart + HOUR_MS; ts <= start; ts += HOUR_MS) {
      clock.set(ts);
      for (const f of worldRepairs.splice(0)) {
        if (f.failedAt + warmupRepairDays * DAY_MS <= ts) {
          fleet.repair(f.deviceId, ts, { failureModes: [f.failureMode] });
          desk.lastService.set(f.deviceId, ts);
        } else worldRepairs.push(f);
      }
      worldRepairs.push(...(await cpu.time('simulate', () => telemetry.step(ts))));
      if ((ts - options.warmupStart) % DAY_MS === 0) {
        await cpu.time('store writes', () => telemetry.flush());
        send({
          type: 'progress',
          kind: options.kind,
          day: (ts - options.warmupStart) / DAY_MS,
          days: options.warmupDays,
          phase: 'warm-up',
        });
      }
    }
    await cpu.time('store writes', () => telemetry.flush());
    // Failures of the warm-up still unrepaired are the service's first calls (before the counted window).
    clock.set(start);
    for (const f of worldRepairs) await desk.deviceFailed(f, start);
    await amc.runOnce(start);

    const devices = (): DeviceToScore[] =>
      specs.map((s) => ({
        deviceId: s.id,
        model: s.model,
        installedAt: s.installedAt,
        lastServiceAt: desk.lastService.get(s.id) ?? null,
      }));
    const scoreEveryMs = options.scoreEveryHours * HOUR_MS;
    for (let ts = start + HOUR_MS; ts <= end; ts += HOUR_MS) {
      await cpu.time('visits and deliveries', () => desk.runDue(ts - HOUR_MS, ts));
      clock.set(ts);
      const failures = await cpu.time('simulate', () => telemetry.step(ts));
      await cpu.time('corrective tickets', async () => {
        for (const f of failures) await desk.deviceFailed(f, ts);
      });
      const elapsed = ts - start;
      if (elapsed % (6 * HOUR_MS) === 0)
        await cpu.time('corrective tickets', () => desk.replanUnassigned(ts));
      if (elapsed % DAY_MS === 0) {
        if ((elapsed / DAY_MS) % restockEveryDays === 0) await restockWarehouse(world, clock, ts);
        clock.set(ts);
        await cpu.time('amc scheduler', () => amc.runOnce(ts));
      }
      const hour = eveningAt(ts);
      if (hour >= ROUTE_FILL_HOUR && hour < ROUTE_FILL_HOUR + 1) {
        clock.set(ts);
        const report = await cpu.time('amc route fill', () => routeFill.runOnce(ts));
        if (report) for (const key of routeFillKeys) fillTotals[key] += report[key];
      }
      if (elapsed % scoreEveryMs === 0) {
        await cpu.time('store writes', () => telemetry.flush());
        clock.set(ts);
        const scored = await cpu.time('scoring', () => risks(devices(), ts));
        const acted = await cpu.time('risk automation', async () =>
          sink.handleRisks(await worthActingOn(scored, desk)),
        );
        for (const h of acted) handled.set(h.action, (handled.get(h.action) ?? 0) + 1);
        await cpu.time('remote fixes', () => remoteDesk.deliver(remote, ts));
      }
      if (elapsed % DAY_MS === 0)
        send({
          type: 'progress',
          kind: options.kind,
          day: elapsed / DAY_MS,
          days: options.days,
          phase: 'run',
        });
    }

    const travel = travelKm(
      ledger.visits,
      new Map(world.world.technicians.map((t) => [t.id, t.homeBase])),
      (ts) => localDayStart(ts, world.world.region.utcOffsetMin),
    );
    const figures = armFigures(
      options.kind,
      ledger,
      await desk.predictiveCounts(),
      travel,
      {
        ...remoteDesk.counts,
        resolvedRemotely: await resolvedRemotely(db),
      },
      fillTotals,
    );
    // Planner vs greedy is reported on the models arm's days, the automation as it would run.
    const dispatchComparison =
      options.kind === 'model'
        ? await cpu.time('dispatch comparison', () =>
            compareDispatchDays(ledger.visits, world.world.technicians, world.world.region.utcOffsetMin),
          )
        : null;
    // What the comparison read, kept with the arm's data (`--keep-data`) so that dispatch rules can be
    // replayed on the same stream without running the fleet again.
    if (options.kind === 'model')
      writeFileSync(
        join(options.dataDir, 'dispatch-stream.json'),
        JSON.stringify({
          utcOffsetMin: world.world.region.utcOffsetMin,
          technicians: world.world.technicians,
          visits: ledger.visits,
        }),
      );
    logger.info({ kind: options.kind, handled: Object.fromEntries(handled) }, 'risk handling');
    return {
      figures,
      dispatch: dispatchComparison,
      backend: backend.name,
      cpuSeconds: cpu.totals(),
      start,
      end,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    registry.close();
    await world.close();
  }
}

/**
 * The risks the automation could act on: at or above the device model's p_open, or of a device ×
 * component with predictive work open (for its hysteresis). A device whose component has failed and
 * waits for its corrective visit is left out: the service already knows it is broken. Every other risk
 * would only be recorded (decision "none"); leaving them out keeps a day's run short.
 */
async function worthActingOn(risks: readonly Risk[], desk: ServiceDesk): Promise<Risk[]> {
  const { predictive, broken } = await desk.openPairs();
  return risks.filter((r) => {
    const key = `${r.deviceId}|${r.component}`;
    if (broken.has(key)) return false;
    return predictive.has(key) || r.pFail >= defaultRiskThresholds[r.model].pOpen;
  });
}

/** Tickets the automation resolved because their remote fix cleared the risk: nobody travelled. */
async function resolvedRemotely(db: ServiceDatabase): Promise<number> {
  const row = await db
    .selectFrom('ticket_audit')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'resolved_remotely')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The supplier's weekly delivery: the warehouse back to the stock it started with. */
async function restockWarehouse(
  world: Awaited<ReturnType<typeof createBacktestWorld>>,
  clock: SteppedClock,
  ts: number,
): Promise<void> {
  clock.set(ts);
  for (const location of world.world.stockLocations.filter((l) => l.kind === 'warehouse')) {
    for (const [sku, initial] of Object.entries(location.available)) {
      const level = await world.repositories.stock.level(location.id, sku);
      const missing = initial - (level?.onHand ?? 0);
      if (missing > 0) await world.repositories.stock.receive(location.id, sku, missing);
    }
  }
}
