import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Broker, BrokerAddresses } from '@aftercare/broker';
import {
  type Config,
  ConfigError,
  createLogger,
  generateSecret,
  type Logger,
  parseTopic,
  type RejectionReason,
} from '@aftercare/core';
import {
  createIngest,
  createMqttSubscriber,
  type Ingest,
  type MqttSubscriber,
  PresenceTracker,
  RejectionLog,
  startStatusSubscriber,
  type TelemetryStore,
} from '@aftercare/ingest';
import { createModelRegistry, initBackend } from '@aftercare/models';
import {
  type AmcRouteFill,
  type AmcScheduler,
  build,
  type CommandPublisher,
  type CorrectiveDispatch,
  createAmcRouteFill,
  createAmcScheduler,
  createCorrectiveDispatch,
  createDatabase,
  createFixVerifier,
  createRemoteTroubleshooting,
  createRiskSink,
  createServiceRepositories,
  type DeviceRegistry,
  type FixVerifier,
  type RemoteTroubleshooting,
  type RiskAutomation,
  type ServiceApp,
  type ServiceDatabase,
  type ServiceRepositories,
  withRemoteTroubleshooting,
} from '@aftercare/service';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { brokerCommandPublisher, mqttCommandPublisher } from './command-publisher.ts';
import { ensureConsoleBuilt, serveConsole, snapshotConsoleBuild } from './console/serve-console.ts';
import { createEmbeddedBroker } from './embedded-broker.ts';
import { type PlatformScoring, serviceRecordsLastService, startScoring } from './scoring.ts';
import { createTelemetryStore } from './telemetry-store.ts';

export interface PlatformOptions {
  config: Config;
  logger?: Logger;
  /**
   * Which parts run in this process: all by default (the one-process demo). `ingest: false` runs
   * the API over the store alone; `api: false` runs an ingest worker against AFTERCARE_MQTT_URL.
   */
  parts?: { ingest?: boolean; api?: boolean };
  /** Serve the web console at / beside the API (one port, one origin); builds it first when its sources changed. */
  console?: boolean;
  /** The zone the console shows times in when AFTERCARE_TIMEZONE is unset (the demo: its region's); default the host's. */
  consoleTimeZone?: string;
  /** Score devices on AFTERCARE_SCORING_CRON with the active failure models (default: where the API runs). */
  scoring?: boolean;
  /**
   * Book reported problems by themselves, every minute (default: where the API runs). Off for a desk
   * that books them by hand, as the console's tests do to hold a board still.
   */
  correctiveDispatch?: boolean;
  /** The service's clock (default the system's): the console's tests hold it at a booked visit. */
  clock?: () => number;
}

export interface RunningPlatform {
  /** Null when the API does not run in this process. */
  httpUrl: string | null;
  /** Where devices connect: the embedded broker's TCP listener, or the external broker. */
  mqttUrl: string;
  addresses: BrokerAddresses | null;
  adminToken: string;
  adminTokenGenerated: boolean;
  store: TelemetryStore;
  ingest: Ingest;
  registry: DeviceRegistry;
  repositories: ServiceRepositories;
  /** Null when scoring does not run in this process. */
  scoring: PlatformScoring | null;
  /** The nightly AMC visit planner; null where the API does not run. */
  amc: AmcScheduler | null;
  /** The evening AMC route fill (null without the API). */
  routeFill: AmcRouteFill | null;
  /** Risk → ticket → remote fix → part → technician (what scoring feeds); null in an ingest-only worker. */
  risks: RiskAutomation | null;
  /** Commands from tickets to devices and their answers. */
  remote: RemoteTroubleshooting;
  /** The hourly check of resolved tickets against telemetry; null where the API does not run. */
  fixVerifier: FixVerifier | null;
  /** Books reported problems (corrective tickets) every minute; with the API. */
  correctiveDispatch: CorrectiveDispatch | null;
  broker: Broker | undefined;
  metrics: Registry;
  stop(): Promise<void>;
}

const compactionIntervalMs = 10 * 60_000;

/**
 * Wires broker, ingest, store and API in one process. With the embedded broker, ingest takes
 * messages straight from aedes' authorizePublish, so a device's PUBACK means its sample is durable;
 * with AFTERCARE_MQTT_URL it is an ordinary MQTT client of the external broker instead.
 */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const { config } = options;
  const runIngest = options.parts?.ingest ?? true;
  const runApi = options.parts?.api ?? true;
  if (!runIngest && !runApi) throw new ConfigError('nothing to run: both ingest and api are off');
  const logger = options.logger ?? createLogger({ level: config.AFTERCARE_LOG_LEVEL });
  mkdirSync(config.AFTERCARE_DATA_DIR, { recursive: true });
  const adminTokenGenerated = !config.AFTERCARE_ADMIN_TOKEN;
  const adminToken = config.AFTERCARE_ADMIN_TOKEN ?? generateSecret(24);

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics, prefix: 'aftercare_process_' });

  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        logger.error({ err }, 'error while stopping');
      }
    }
    cleanups.length = 0;
  };

  try {
    const db: ServiceDatabase = await createDatabase({ dataDir: config.AFTERCARE_DATA_DIR });
    cleanups.push(() => db.destroy());
    // Built once: the API and the automation share them and their event bus, so a ticket the
    // automation opens reaches the console's event stream.
    const repositories = createServiceRepositories(db, {
      sessionHours: config.AFTERCARE_SESSION_HOURS,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const registry = repositories.devices;

    const store = createTelemetryStore(config, logger, { writes: runIngest });
    await store.init();
    cleanups.push(() => store.close());

    const presence = new PresenceTracker();
    const rejections = new RejectionLog();
    // Built once the MQTT side is up (it needs the downlink); answers only arrive after that.
    let remote: RemoteTroubleshooting | undefined;
    const ingest = createIngest({
      store,
      directory: { modelOf: async (id) => (await registry.get(id))?.model ?? null },
      rejections,
      presence,
      logger,
      registry: metrics,
      batchSamples: config.AFTERCARE_INGEST_BATCH_SAMPLES,
      maxPendingSamples: config.AFTERCARE_INGEST_MAX_PENDING_SAMPLES,
      // A device's answer to a command lands on the ticket that sent it.
      onEvent: async (event) => {
        if (event.type === 'command_result') await remote?.handleDeviceEvent(event.deviceId, event);
      },
    });
    // Stopped after the broker (registered earlier → runs later), so in-flight publishes are flushed.
    cleanups.push(() => ingest.stop());

    // Compaction belongs to the process that writes (SQLite's dirty-hour tracking lives there).
    if (runIngest) {
      const compaction = setInterval(() => {
        store.compact(Date.now()).then(
          (result) => logger.debug({ ...result }, 'telemetry compacted'),
          (err) => logger.warn({ err }, 'telemetry compaction failed'),
        );
      }, compactionIntervalMs);
      compaction.unref();
      cleanups.push(async () => clearInterval(compaction));
    }

    let broker: Broker | undefined;
    let addresses: BrokerAddresses | null = null;
    let subscriber: MqttSubscriber | undefined;
    let publisher: CommandPublisher | null = null;
    let mqttUrl: string;
    if (!runIngest) {
      mqttUrl = config.AFTERCARE_MQTT_URL ?? '';
      if (config.AFTERCARE_MQTT_URL) {
        const statuses = await startStatusSubscriber({
          url: config.AFTERCARE_MQTT_URL,
          username: config.AFTERCARE_MQTT_USERNAME,
          password: config.AFTERCARE_MQTT_PASSWORD,
          clientId: `${config.AFTERCARE_MQTT_USERNAME ?? 'aftercare'}-api-${process.pid}`,
          presence,
          logger,
        });
        cleanups.push(() => statuses.stop());
        publisher = mqttCommandPublisher(statuses.client);
      }
    } else if (config.AFTERCARE_MQTT_URL) {
      subscriber = createMqttSubscriber({
        url: config.AFTERCARE_MQTT_URL,
        username: config.AFTERCARE_MQTT_USERNAME,
        password: config.AFTERCARE_MQTT_PASSWORD,
        clientId:
          config.AFTERCARE_INGEST_CLIENT_ID ??
          `aftercare-ingest-${hostname()
            .replace(/[^A-Za-z0-9_-]/g, '-')
            .slice(0, 40)}`,
        shareGroup: config.AFTERCARE_INGEST_SHARE_GROUP,
        ingest,
        logger,
      });
      await subscriber.start();
      cleanups.push(() => subscriber!.stop());
      publisher = mqttCommandPublisher(subscriber.client);
      mqttUrl = config.AFTERCARE_MQTT_URL;
    } else {
      broker = await createEmbeddedBroker(config, {
        logger,
        metrics,
        credentials: registry,
        interceptor: (message) => ingest.handle(message),
      });
      broker.on('deviceOnline', (id) => presence.markOnline(id));
      broker.on('deviceOffline', (id) => presence.markOffline(id));
      // Message-level refusals go to the rejection log operators read; failed logins stay in broker metrics.
      const refusalReasons: Partial<Record<string, RejectionReason>> = {
        forbidden_publish: 'forbidden_topic',
        forbidden_subscribe: 'forbidden_topic',
        invalid_status: 'invalid_schema',
        packet_too_large: 'too_large',
        rate_limited: 'rate_limited',
      };
      broker.on('refused', (refusal) => {
        const reason = refusalReasons[refusal.reason];
        if (!reason) return;
        const topic = refusal.topic ?? '';
        rejections.record({
          deviceId: refusal.username ?? parseTopic(topic)?.deviceId ?? null,
          topic,
          reason,
          detail: `broker refused: ${refusal.reason}`,
          bytes: 0,
        });
      });
      addresses = await broker.start();
      // Registered after ingest's cleanup, so it runs first: no new publishes reach a stopping ingest.
      const started = broker;
      cleanups.push(() => started.stop());
      publisher = brokerCommandPublisher(started);
      mqttUrl = `mqtt://${urlHost(addresses.host)}:${addresses.tcpPort}`;
    }

    // The telemetry shows a remote fix clear the fault within hours; the risk takes a day or more.
    const remoteTroubleshooting = createRemoteTroubleshooting({ repositories, publisher, logger, store });
    remote = remoteTroubleshooting;
    if (runApi) {
      remoteTroubleshooting.start();
      cleanups.push(() => remoteTroubleshooting.stop());
    }

    let httpUrl: string | null = null;
    if (runApi) {
      if (options.console) await ensureConsoleBuilt({ logger });
      // The API reads the registry on disk as the scoring job and `pnpm models activate` change it.
      const models = createModelRegistry({ dataDir: config.AFTERCARE_DATA_DIR, logger });
      cleanups.push(async () => models.close());
      const app: ServiceApp = build(
        {
          adminToken,
          sessionHours: config.AFTERCARE_SESSION_HOURS,
          predictiveRouteFill: config.AFTERCARE_PREDICTIVE_ROUTE_FILL,
        },
        {
          db,
          repositories,
          models,
          store,
          rejections,
          presence,
          metrics,
          logger,
          remote: remoteTroubleshooting,
          ...(options.clock ? { clock: options.clock } : {}),
          health: async () => ({
            ...(runIngest
              ? {
                  ingest: ingest.storeUp
                    ? { ok: true, detail: `${ingest.pendingSamples} samples pending` }
                    : { ok: false, detail: 'telemetry store unreachable; ingest is holding data' },
                }
              : {}),
            ...(subscriber ? { mqtt: { ok: subscriber.client.connected } } : {}),
          }),
        },
      );
      if (options.console) {
        const timeZone = config.AFTERCARE_TIMEZONE ?? options.consoleTimeZone;
        const snapshot = await snapshotConsoleBuild({ logger });
        cleanups.push(async () => snapshot.remove());
        serveConsole(app, { logger, buildDir: snapshot.dir, ...(timeZone ? { timeZone } : {}) });
      }
      await app.listen({ host: config.AFTERCARE_HOST, port: config.AFTERCARE_HTTP_PORT });
      cleanups.push(() => app.close());
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.AFTERCARE_HTTP_PORT;
      httpUrl = `http://${urlHost(config.AFTERCARE_HOST)}:${port}`;
    }

    // Risk → preventive ticket → remote fix first → part reservation or transfer → technician.
    const scoreRuns = options.scoring ?? runApi;
    const risks =
      scoreRuns || runApi
        ? withRemoteTroubleshooting(
            // The route fill runs with the API (below); non-urgent predictive work waits for it if asked.
            createRiskSink({
              repositories,
              db,
              logger,
              routeFill: runApi && config.AFTERCARE_PREDICTIVE_ROUTE_FILL,
            }),
            remoteTroubleshooting,
            logger,
          )
        : null;
    let scoring: PlatformScoring | null = null;
    if (scoreRuns && risks) {
      scoring = startScoring({
        config,
        store,
        registry,
        sink: risks,
        logger,
        lastService: serviceRecordsLastService(db),
        backend: await initBackend('node', (line) => logger.info({ component: 'models' }, line)),
      });
      const running = scoring;
      cleanups.push(() => running.stop());
    }

    let amc: AmcScheduler | null = null;
    let routeFill: AmcRouteFill | null = null;
    let fixVerifier: FixVerifier | null = null;
    let correctiveDispatch: CorrectiveDispatch | null = null;
    if (runApi) {
      // "01:30" means the night where the technicians work, not the process's zone.
      const serviceZone = config.AFTERCARE_TIMEZONE ?? options.consoleTimeZone;
      const scheduler = createAmcScheduler({
        repositories,
        logger,
        ...(serviceZone ? { cronTimezone: serviceZone } : {}),
      });
      scheduler.start();
      cleanups.push(() => scheduler.stop());
      amc = scheduler;
      // The evening fill gives the AMC visits the scheduler opened a day a technician is nearby.
      const fill = createAmcRouteFill({
        repositories,
        logger,
        predictive: config.AFTERCARE_PREDICTIVE_ROUTE_FILL,
        ...(serviceZone ? { cronTimezone: serviceZone } : {}),
      });
      fill.start();
      cleanups.push(() => fill.stop());
      routeFill = fill;
      if (options.correctiveDispatch ?? true) {
        // Problems customers and planners report are booked as risks are, within a minute.
        const corrective = createCorrectiveDispatch({
          repositories,
          logger,
          ...(serviceZone ? { cronTimezone: serviceZone } : {}),
        });
        corrective.start();
        cleanups.push(() => corrective.stop());
        correctiveDispatch = corrective;
      }
      const verifier = createFixVerifier({ repositories, store, logger });
      verifier.start();
      cleanups.push(() => verifier.stop());
      fixVerifier = verifier;
    }

    return {
      httpUrl,
      mqttUrl,
      addresses,
      adminToken,
      adminTokenGenerated,
      store,
      ingest,
      registry,
      repositories,
      scoring,
      amc,
      routeFill,
      risks,
      remote: remoteTroubleshooting,
      fixVerifier,
      correctiveDispatch,
      broker,
      metrics,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
