import { join } from 'node:path';
import { type Config, generateSecret, type Logger } from '@aftercare/core';
import {
  createFleet,
  type FleetRun,
  provisionDevices,
  runFleet,
  secretsFileName,
} from '@aftercare/device-sim';
import { type DemoSeedResult, ensureDemoTechnicianWork, seedDemoWorld } from '@aftercare/service';
import {
  backfillDemoHistory,
  type DemoModelTraining,
  ensureDemoModels,
  ensureDemoServiceHistory,
} from '../demo/demo-bootstrap.ts';
import { demoRiskHistoryDays, ensureDemoRiskHistory } from '../demo/risk-history.ts';
import { demoFleetDevices } from '../fleet-world.ts';
import { startPlatform } from '../platform.ts';
import { describeStore } from '../telemetry-store.ts';
import { stopOnSignals } from './lifecycle.ts';

/**
 * Virtual history the demo fleet replays over MQTT (at AFTERCARE_SIM_SPEED) before it runs in real
 * time; the days before it are written straight into the store on a first start.
 */
const demoBackfillMs = 2 * 3_600_000;
/** Days of hourly history written straight into the store on a first start: a year for the trend screens. */
const demoHistoryDays = 365;
/** Seeds of the fleets the demo's models train on: far from any AFTERCARE_SIM_SEED a user picks. */
const demoTrainingSeed = 100_001;
/**
 * The demo world's region (Chennai): its technicians' working hours and the console's clock, unless
 * AFTERCARE_TIMEZONE names another zone for the console.
 */
const demoTimeZone = 'Asia/Kolkata';

export async function runStart(config: Config, logger: Logger): Promise<void> {
  const demoRuns = config.AFTERCARE_SIM_DEVICES > 0;
  const platform = await startPlatform({
    config,
    logger,
    console: true,
    ...(demoRuns ? { consoleTimeZone: demoTimeZone } : {}),
  });
  let fleet: FleetRun | undefined;
  let training: DemoModelTraining | null = null;
  let demo: DemoSeedResult | null = null;
  let demoPassword: string | null = null;
  /** Where the demo history written on a first start ends; null without the demo. */
  let demoHistoryUntil: number | null = null;

  if (demoRuns && platform.httpUrl) {
    const start = Date.now() - demoBackfillMs;
    const specs = createFleet({
      seed: config.AFTERCARE_SIM_SEED,
      devices: config.AFTERCARE_SIM_DEVICES,
      start,
    }).specs;
    const history = await backfillDemoHistory({
      store: platform.store,
      specs,
      days: demoHistoryDays,
      until: start,
      seed: config.AFTERCARE_SIM_SEED,
      dataDir: config.AFTERCARE_DATA_DIR,
      logger,
    });
    demoHistoryUntil = history.until;
    const provisioned = await provisionDevices(platform.httpUrl, platform.adminToken, specs, {
      secretsFile: join(config.AFTERCARE_DATA_DIR, secretsFileName),
      logger,
    });
    if (provisioned.unknownSecrets.length > 0) {
      logger.warn(
        { devices: provisioned.unknownSecrets.length },
        'some simulated devices exist without a remembered secret and will stay offline',
      );
    }
    demoPassword = config.AFTERCARE_DEMO_PASSWORD ?? generateSecret(12);
    demo = await seedDemoWorld({
      repositories: platform.repositories,
      devices: demoFleetDevices(specs),
      seed: config.AFTERCARE_SIM_SEED,
      now: Date.now(),
      timezone: demoTimeZone,
      demoPassword,
      logger,
    });
    if (demo.customerId !== null) {
      await ensureDemoServiceHistory({
        dataDir: config.AFTERCARE_DATA_DIR,
        specs,
        history,
        seed: config.AFTERCARE_SIM_SEED,
        logger,
      });
      // On every start, not only the first: a run repeated changes nothing, and visits that came due
      // while the platform was stopped get their ticket, and tomorrow its visits, now rather than at
      // the next nightly or evening run.
      await platform.amc?.runOnce();
      await platform.routeFill?.runOnce();
      await ensureDemoTechnicianWork({ repositories: platform.repositories, now: Date.now(), logger });
    }
    fleet = runFleet({
      mqttUrl: platform.mqttUrl,
      devices: provisioned.devices,
      speed: config.AFTERCARE_SIM_SPEED,
      intervalMs: config.AFTERCARE_SIM_INTERVAL_S * 1000,
      start,
      logger,
    });
  }

  if (platform.scoring) {
    const scoring = platform.scoring;
    training = await ensureDemoModels({
      models: scoring.models,
      dataDir: config.AFTERCARE_DATA_DIR,
      seed: demoTrainingSeed,
      logger,
    });
    // Once the models are there: the demo history's risks day by day (first start), then the live
    // scoring at once rather than at the next cron tick.
    const historyUntil = demoHistoryUntil;
    const riskHistory = async () => {
      if (historyUntil === null) return;
      await ensureDemoRiskHistory({
        dataDir: config.AFTERCARE_DATA_DIR,
        store: platform.store,
        models: scoring.models,
        devices: scoring.devices,
        lastService: scoring.lastService,
        historyUntil,
        // The embedded store keeps a daily rollup of risks past raw retention, so the 90-day view has
        // its past; InfluxDB drops risks with raw telemetry: days scored beyond it would be deleted by
        // the next compaction, minutes later, having cost a minute of the first start.
        days:
          platform.store.kind === 'sqlite'
            ? demoRiskHistoryDays
            : Math.min(demoRiskHistoryDays, config.AFTERCARE_RETENTION_DAYS - 1),
        logger,
      }).catch((err: unknown) =>
        logger.error({ err }, 'could not score the demo history; risk charts start now'),
      );
    };
    if (training)
      training.done
        .then(async (ok) => {
          if (!ok) return;
          await riskHistory();
          await scoring.job.runOnce();
        })
        .catch(() => {});
    else void riskHistory();
  }

  const lines = [
    '',
    'Aftercare is running',
    `  console      ${platform.httpUrl}/`,
    `  API          ${platform.httpUrl}/api      (OpenAPI: ${platform.httpUrl}/api/docs)`,
    `  health       ${platform.httpUrl}/health   metrics: ${platform.httpUrl}/metrics`,
    `  MQTT         ${platform.mqttUrl}${platform.addresses?.wsPort ? `   WebSocket: ws://${platform.addresses.host}:${platform.addresses.wsPort}/mqtt` : ''}`,
    `  store        ${describeStore(config)}`,
    `  times        ${consoleTimeZoneLine(config, demoRuns)}`,
    `  admin token  ${platform.adminToken}${platform.adminTokenGenerated ? '   (generated for this run; set AFTERCARE_ADMIN_TOKEN to fix it)' : ''}`,
    `  scoring      ${platform.scoring ? `every "${config.AFTERCARE_SCORING_CRON}"${training ? ' (failure models are training in the background first)' : ''}` : 'off'}`,
    `  fleet        ${fleet ? `${config.AFTERCARE_SIM_DEVICES} simulated devices, replaying the last 2 h at ${config.AFTERCARE_SIM_SPEED}× then live` : 'none (AFTERCARE_SIM_DEVICES=0)'}`,
    ...demoAccountLines(demo, demoPassword, config),
    '',
    `  try: curl -H "Authorization: Bearer ${platform.adminToken}" ${platform.httpUrl}/api/devices`,
    '  Ctrl-C stops everything and flushes ingest.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  stopOnSignals(logger, async () => {
    training?.stop();
    await fleet?.stop();
    await platform.stop();
  });
}

/** Which zone the console shows times in, and why. */
function consoleTimeZoneLine(config: Config, demoRuns: boolean): string {
  if (config.AFTERCARE_TIMEZONE) return `${config.AFTERCARE_TIMEZONE} (AFTERCARE_TIMEZONE)`;
  if (demoRuns) return `${demoTimeZone}, the demo region's (set AFTERCARE_TIMEZONE to change)`;
  const host = new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return `${host}, this machine's (set AFTERCARE_TIMEZONE to change)`;
}

/** The demo logins; the password only when this start set it (a later generated one is not the stored one). */
function demoAccountLines(demo: DemoSeedResult | null, password: string | null, config: Config): string[] {
  if (!demo) return [];
  const accounts = Object.values(demo.accounts).join(', ');
  if (demo.seeded || config.AFTERCARE_DEMO_PASSWORD) {
    return [
      `  logins       ${accounts}   password: ${password}${config.AFTERCARE_DEMO_PASSWORD ? ' (AFTERCARE_DEMO_PASSWORD)' : '   (generated; set AFTERCARE_DEMO_PASSWORD to choose it)'}`,
    ];
  }
  return [
    `  logins       ${accounts}   (password printed on the first start; or set AFTERCARE_DEMO_PASSWORD)`,
  ];
}
