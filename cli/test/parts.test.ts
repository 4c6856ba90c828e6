import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig, silentLogger, topics } from '@aftercare/core';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrokerOnly } from '../src/broker-only.ts';
import { type RunningPlatform, startPlatform } from '../src/platform.ts';
import { Api, eventually } from './helpers.ts';

const token = 'parts-admin-token-0123456789';
const ingestSecret = 'parts-ingest-secret-0123456789';

describe('the parts run alone, as a larger deployment runs them', () => {
  let dataDir: string;
  let broker: Awaited<ReturnType<typeof startBrokerOnly>>;
  let ingestWorker: RunningPlatform;
  let api: RunningPlatform;
  let brokerUrl: string;

  const configFor = (extra: Record<string, string>): Config =>
    loadConfig({
      AFTERCARE_DATA_DIR: dataDir,
      AFTERCARE_HTTP_PORT: '0',
      AFTERCARE_MQTT_PORT: '0',
      AFTERCARE_MQTT_WS_PORT: '0',
      AFTERCARE_ADMIN_TOKEN: token,
      AFTERCARE_INGEST_SECRET: ingestSecret,
      AFTERCARE_LOG_LEVEL: 'silent',
      ...extra,
    });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'aftercare-parts-'));
    broker = await startBrokerOnly(configFor({}), silentLogger);
    brokerUrl = `mqtt://127.0.0.1:${broker.addresses.tcpPort}`;
    // aedes speaks no MQTT 5, so the worker subscribes plainly (one worker per embedded broker).
    ingestWorker = await startPlatform({
      config: configFor({
        AFTERCARE_MQTT_URL: brokerUrl,
        AFTERCARE_MQTT_USERNAME: 'aftercare-ingest',
        AFTERCARE_MQTT_PASSWORD: ingestSecret,
        AFTERCARE_INGEST_SHARE_GROUP: 'none',
      }),
      logger: silentLogger,
      parts: { api: false },
    });
    // The API alone learns presence from the broker's retained statuses.
    api = await startPlatform({
      config: configFor({
        AFTERCARE_MQTT_URL: brokerUrl,
        AFTERCARE_MQTT_USERNAME: 'aftercare-ingest',
        AFTERCARE_MQTT_PASSWORD: ingestSecret,
      }),
      logger: silentLogger,
      parts: { ingest: false },
    });
  });

  afterAll(async () => {
    await api?.stop();
    await ingestWorker?.stop();
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to run the broker alone without a secret for the ingest workers', async () => {
    await expect(startBrokerOnly(loadConfig({ AFTERCARE_DATA_DIR: dataDir }), silentLogger)).rejects.toThrow(
      /AFTERCARE_INGEST_SECRET/,
    );
  });

  it('takes a device provisioned through the API, authenticates it at the broker and stores its telemetry through the ingest worker', async () => {
    const client = new Api(api.httpUrl!, token);
    const device = await client.provision('wm-parts-1', 'washing-machine');
    const mqttClient = await mqtt.connectAsync(brokerUrl, {
      clientId: device.id,
      username: device.id,
      password: device.secret,
    });
    const ts = Date.now() - 1000;
    await mqttClient.publishAsync(
      topics.telemetry(device.id),
      JSON.stringify({ ts, metrics: { drain_time_s: 61 } }),
      { qos: 1 },
    );
    const online = await eventually(
      async () => (await client.get(`/api/devices/${device.id}`)).body.online === true || undefined,
    );
    expect(online).toBe(true);
    await mqttClient.endAsync();
    await eventually(
      async () => (await client.get(`/api/devices/${device.id}`)).body.online === false || undefined,
    );
    const detail = await eventually(async () => {
      const res = await client.get(`/api/devices/${device.id}`);
      return res.body.latest ? res.body : undefined;
    });
    expect(detail.latest).toEqual({ drain_time_s: 61 });
  });

  it('refuses the ingest account with a wrong secret', async () => {
    await expect(
      mqtt.connectAsync(brokerUrl, {
        clientId: 'aftercare-ingest-x',
        username: 'aftercare-ingest',
        password: 'wrong',
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow();
  });
});
