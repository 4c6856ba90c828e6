import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, silentLogger, topics } from '@aftercare/core';
import {
  createIngest,
  createMqttSubscriber,
  createSqliteStore,
  PresenceTracker,
  RejectionLog,
  type TelemetryStore,
} from '@aftercare/ingest';
import { requireBinary, startMosquitto } from '@aftercare/ingest/testing';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlatform, startPlatform } from '../src/platform.ts';
import { Api, eventually } from './helpers.ts';

const hasMosquitto = requireBinary('/usr/sbin/mosquitto', 'mosquitto');
const token = 'ext-admin-token-0123456789';

async function countSamples(store: TelemetryStore, deviceId: string, from: number): Promise<number> {
  const series = await store.querySeries({ deviceId, metrics: ['power_w'], from, to: Date.now() + 1000 });
  return series[0]?.ts.length ?? 0;
}

describe.skipIf(!hasMosquitto)('ingest behind an external Mosquitto broker', () => {
  let mosquitto: Awaited<ReturnType<typeof startMosquitto>>;
  let dataDir: string;

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    dataDir = mkdtempSync(join(tmpdir(), 'aftercare-ext-'));
  });
  afterAll(async () => {
    await mosquitto?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('the platform configured with AFTERCARE_MQTT_URL', () => {
    let platform: RunningPlatform;
    beforeAll(async () => {
      const config = loadConfig({
        AFTERCARE_DATA_DIR: join(dataDir, 'platform'),
        AFTERCARE_HTTP_PORT: '0',
        AFTERCARE_MQTT_URL: mosquitto.url,
        AFTERCARE_SIM_DEVICES: '0',
        AFTERCARE_ADMIN_TOKEN: token,
        AFTERCARE_LOG_LEVEL: 'silent',
      });
      platform = await startPlatform({ config });
    });
    afterAll(() => platform?.stop());

    it('runs no broker of its own and stores what devices publish to Mosquitto', async () => {
      expect(platform.broker).toBeUndefined();
      const api = new Api(platform.httpUrl!, token);
      const device = await api.provision('fr-ext-1', 'refrigerator');
      const client = await mqtt.connectAsync(mosquitto.url, { clientId: device.id });
      const ts = Date.now() - 2000;
      await client.publishAsync(
        topics.telemetry(device.id),
        JSON.stringify({ ts, metrics: { cabinet_temp_c: 3.5 } }),
        { qos: 1 },
      );
      await client.publishAsync(topics.telemetry(device.id), '{"broken', { qos: 1 });
      await client.endAsync();
      const res = await eventually(async () => {
        const r = await api.get(`/api/devices/${device.id}`);
        return r.body.latest ? r : undefined;
      });
      expect(res.body.latest).toEqual({ cabinet_temp_c: 3.5 });
      const rejections = await eventually(async () => {
        const r = await api.get('/api/ingest/rejections');
        return r.body.recent.find((x: { deviceId: string }) => x.deviceId === device.id);
      });
      expect(rejections.reason).toBe('invalid_json');
    });

    it('ignores telemetry from devices the registry does not know, with a reason', async () => {
      const client = await mqtt.connectAsync(mosquitto.url, { clientId: 'rogue' });
      await client.publishAsync(
        topics.telemetry('rogue-1'),
        JSON.stringify({ ts: Date.now(), metrics: { power_w: 1 } }),
        { qos: 1 },
      );
      await client.endAsync();
      const api = new Api(platform.httpUrl!, token);
      const rejection = await eventually(async () => {
        const r = await api.get('/api/ingest/rejections');
        return r.body.recent.find((x: { deviceId: string }) => x.deviceId === 'rogue-1');
      });
      expect(rejection.reason).toBe('unknown_device');
    });
  });

  describe('several ingest workers on one shared subscription', () => {
    it('split the messages between them and store each exactly once', async () => {
      const store = createSqliteStore({ file: join(dataDir, 'shared.db'), retentionDays: 30 });
      await store.init();
      const directory = { modelOf: async (id: string) => (id.startsWith('ac-') ? 'split-ac' : null) };
      const handled = [0, 0];
      const workers = [0, 1].map((i) => {
        const ingest = createIngest({
          store,
          directory,
          rejections: new RejectionLog(),
          presence: new PresenceTracker(),
          logger: silentLogger,
        });
        const counting = {
          ...ingest,
          handle: (m: Parameters<typeof ingest.handle>[0]) => {
            handled[i]!++;
            return ingest.handle(m);
          },
        };
        return {
          ingest,
          subscriber: createMqttSubscriber({
            url: mosquitto.url,
            clientId: `ingest-worker-${i}`,
            shareGroup: 'shared-test',
            ingest: counting,
            logger: silentLogger,
          }),
        };
      });
      await Promise.all(workers.map((w) => w.subscriber.start()));
      const publisher = await mqtt.connectAsync(mosquitto.url, { clientId: 'ac-shared-pub' });
      const from = Date.now() - 600_000;
      for (let i = 0; i < 200; i++) {
        await publisher.publishAsync(
          topics.telemetry('ac-shared'),
          JSON.stringify({ ts: from + i * 1000, seq: i, metrics: { power_w: i } }),
          { qos: 1 },
        );
      }
      await publisher.endAsync();
      await eventually(
        async () => (await countSamples(store, 'ac-shared', from)) === 200,
        15_000,
        '200 samples stored',
      );
      expect(handled[0]! + handled[1]!).toBe(200);
      expect(handled[0]).toBeGreaterThan(0);
      expect(handled[1]).toBeGreaterThan(0);
      await Promise.all(workers.map((w) => w.subscriber.stop()));
      await store.close();
    });
  });

  describe('a worker whose store falls behind', () => {
    it('holds deliveries unacknowledged until there is room, and loses nothing', async () => {
      const store = createSqliteStore({ file: join(dataDir, 'overload.db'), retentionDays: 30 });
      await store.init();
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      // The first write waits (a slow disk); meanwhile a bound of one message makes ingest refuse the rest.
      const slow: TelemetryStore = Object.assign(Object.create(store), {
        write: async (points: Parameters<TelemetryStore['write']>[0]) => {
          await gate;
          return store.write(points);
        },
      });
      const ingest = createIngest({
        store: slow,
        directory: { modelOf: async () => 'split-ac' },
        rejections: new RejectionLog(),
        presence: new PresenceTracker(),
        logger: silentLogger,
        maxPendingSamples: 1,
      });
      const worker = createMqttSubscriber({
        url: mosquitto.url,
        clientId: 'ingest-overloaded',
        shareGroup: null,
        ingest,
        logger: silentLogger,
      });
      await worker.start();
      let reconnects = 0;
      worker.client.on('connect', () => reconnects++);
      const publisher = await mqtt.connectAsync(mosquitto.url, { clientId: 'ac-overload-pub' });
      const from = Date.now() - 600_000;
      for (let i = 0; i < 5; i++) {
        await publisher.publishAsync(
          topics.telemetry('ac-overload'),
          JSON.stringify({ ts: from + i * 1000, metrics: { power_w: i } }),
          { qos: 1 },
        );
      }
      await publisher.endAsync();
      await new Promise((r) => setTimeout(r, 200));
      expect(await countSamples(store, 'ac-overload', from)).toBe(0);
      expect(ingest.pendingSamples).toBe(1);
      release();
      await eventually(
        async () => (await countSamples(store, 'ac-overload', from)) === 5,
        20_000,
        'all 5 samples',
      );
      expect(reconnects).toBe(0);
      await worker.stop();
      await store.close();
    });
  });

  describe('a worker that dies before its write', () => {
    it('leaves its messages unacknowledged, and they are stored after it comes back', async () => {
      const store = createSqliteStore({ file: join(dataDir, 'crash.db'), retentionDays: 30 });
      await store.init();
      // The first worker's store hangs forever, as a stalled disk or network would; nothing it holds is written.
      const stalling: TelemetryStore = Object.assign(Object.create(store), {
        write: () => new Promise<void>(() => {}),
      });
      const directory = { modelOf: async () => 'split-ac' };
      const makeWorker = (s: TelemetryStore) => {
        const ingest = createIngest({
          store: s,
          directory,
          rejections: new RejectionLog(),
          presence: new PresenceTracker(),
          logger: silentLogger,
        });
        return createMqttSubscriber({
          url: mosquitto.url,
          clientId: 'ingest-crashy',
          shareGroup: null,
          ingest,
          logger: silentLogger,
        });
      };
      const first = makeWorker(stalling);
      await first.start();
      const publisher = await mqtt.connectAsync(mosquitto.url, { clientId: 'ac-crash-pub' });
      const from = Date.now() - 600_000;
      for (let i = 0; i < 50; i++) {
        await publisher.publishAsync(
          topics.telemetry('ac-crash'),
          JSON.stringify({ ts: from + i * 1000, metrics: { power_w: i } }),
          { qos: 1 },
        );
      }
      await publisher.endAsync();
      await new Promise((r) => setTimeout(r, 300));
      expect(await countSamples(store, 'ac-crash', from)).toBe(0);
      first.client.end(true); // dies without acknowledging anything
      const second = makeWorker(store);
      await second.start();
      await eventually(
        async () => (await countSamples(store, 'ac-crash', from)) === 50,
        15_000,
        'all 50 redelivered samples',
      );
      await second.stop();
      await store.close();
    });
  });
});
