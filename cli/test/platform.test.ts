import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { topics } from '@aftercare/core';
import { requireBinary, startInfluxd } from '@aftercare/ingest/testing';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlatform, startPlatform } from '../src/platform.ts';
import { Api, eventually } from './helpers.ts';
import { testPlatformConfig } from './platform-config.ts';

const run = promisify(execFile);
const hasInflux = requireBinary('/usr/bin/influxd', 'influxdb');
const hasMosquittoPub = requireBinary('/usr/bin/mosquitto_pub', 'mosquitto-clients');

const token = 'e2e-admin-token-0123456789';

async function connectDevice(
  url: string,
  id: string,
  secret: string,
  extra: mqtt.IClientOptions = {},
): Promise<MqttClient> {
  const client = mqtt.connect(url, {
    clientId: id,
    username: id,
    password: secret,
    reconnectPeriod: 0,
    ...extra,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

function publish(client: MqttClient, topic: string, payload: unknown, qos: 0 | 1 = 1): Promise<void> {
  return client
    .publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos })
    .then(() => undefined);
}

const adapters = [
  { name: 'embedded SQLite store', influx: false, enabled: true },
  { name: 'InfluxDB store', influx: true, enabled: hasInflux },
];

for (const adapter of adapters) {
  describe.skipIf(!adapter.enabled)(`the platform end to end, with the ${adapter.name}`, () => {
    let platform: RunningPlatform;
    let api: Api;
    let dataDir: string;
    let influx: Awaited<ReturnType<typeof startInfluxd>> | undefined;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'aftercare-e2e-'));
      if (adapter.influx) influx = await startInfluxd();
      const config = testPlatformConfig(
        dataDir,
        token,
        influx ? { AFTERCARE_INFLUX_URL: influx.url, AFTERCARE_INFLUX_DB: 'e2e' } : {},
      );
      platform = await startPlatform({ config });
      api = new Api(platform.httpUrl!, token);
    });

    afterAll(async () => {
      await platform?.stop();
      await influx?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('stores what a provisioned device publishes and serves it back through the API', async () => {
      const device = await api.provision('ac-e2e-1', 'split-ac');
      const client = await connectDevice(platform.mqttUrl, device.id, device.secret);
      const t0 = Date.now() - 10_000;
      for (let i = 0; i < 5; i++) {
        await publish(client, topics.telemetry(device.id), {
          ts: t0 + i * 1000,
          seq: i,
          metrics: { compressor_current_a: 6 + i / 10, discharge_temp_c: 70 + i },
        });
      }
      await client.endAsync();
      const res = await api.get(
        `/api/devices/${device.id}/telemetry?metrics=compressor_current_a,discharge_temp_c&from=${t0}&to=${t0 + 10_000}`,
      );
      expect(res.status).toBe(200);
      const current = res.body.series.find((s: { metric: string }) => s.metric === 'compressor_current_a');
      expect(current.ts).toEqual([0, 1, 2, 3, 4].map((i) => t0 + i * 1000));
      expect(current.mean).toEqual([6, 6.1, 6.2, 6.3, 6.4]);
      const detail = await api.get(`/api/devices/${device.id}`);
      expect(detail.body.latest).toMatchObject({ compressor_current_a: 6.4, discharge_temp_c: 74 });
    });

    it('refuses a wrong password and an unknown device', async () => {
      await api.provision('ac-e2e-2');
      await expect(connectDevice(platform.mqttUrl, 'ac-e2e-2', 'not-the-secret')).rejects.toThrow(
        /Bad username or password|Not authorized/i,
      );
      await expect(connectDevice(platform.mqttUrl, 'nobody', 'x')).rejects.toThrow();
    });

    it("refuses a device publishing to another device's topic and stores nothing of it", async () => {
      const intruder = await api.provision('ac-e2e-3');
      const victim = await api.provision('ac-e2e-4');
      const client = await connectDevice(platform.mqttUrl, intruder.id, intruder.secret);
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.publish(
        topics.telemetry(victim.id),
        JSON.stringify({ ts: Date.now(), metrics: { power_w: 9999 } }),
        { qos: 1 },
      );
      await closed;
      client.end(true);
      // Nothing under either id: not the victim's series, and not filed under the intruder either.
      for (const id of [victim.id, intruder.id]) {
        const detail = await api.get(`/api/devices/${id}`);
        expect(detail.body.latest).toBeNull();
      }
      const metrics = await fetch(`${platform.httpUrl!}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/aftercare_broker_refusals_total\{reason="forbidden_publish"\} [1-9]/);
      const rejections = await api.get('/api/ingest/rejections');
      expect(rejections.body.recent).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ deviceId: intruder.id, reason: 'forbidden_topic' }),
        ]),
      );
    });

    it('rejects malformed, oversized, non-finite and far-future payloads with a reason, and counts them', async () => {
      const device = await api.provision('ac-e2e-5');
      const client = await connectDevice(platform.mqttUrl, device.id, device.secret);
      const topic = topics.telemetry(device.id);
      await publish(client, topic, '{"ts": 17');
      await publish(client, topic, `{"ts":${Date.now()},"metrics":{"power_w":1e999}}`);
      await publish(client, topic, { ts: Date.now() + 3_600_000, metrics: { power_w: 1 } });
      await publish(client, topic, { ts: Date.now(), metrics: { power_w: 1, padding: 'x'.repeat(300_000) } });
      await publish(client, topic, { ts: Date.now(), metrics: { PowerW: 1 } });
      // Regression: a timestamp past what a Date can hold made the parser throw and the device loop.
      await publish(client, topic, { ts: 9e15, metrics: { power_w: 1 } });
      // The device stays connected: a bad payload is refused, not punished.
      await publish(client, topic, { ts: Date.now(), metrics: { power_w: 1234 } });
      await client.endAsync();
      const res = await api.get('/api/ingest/rejections?limit=50');
      expect(res.status).toBe(200);
      const reasons = res.body.recent
        .filter((r: { deviceId: string }) => r.deviceId === device.id)
        .map((r: { reason: string }) => r.reason);
      expect(reasons).toEqual(
        expect.arrayContaining([
          'invalid_json',
          'non_finite',
          'future_timestamp',
          'too_large',
          'bad_metric_name',
        ]),
      );
      expect(res.body.counts.non_finite).toBeGreaterThanOrEqual(1);
      const latest = await api.get(`/api/devices/${device.id}`);
      expect(latest.body.latest).toEqual({ power_w: 1234 });
      const metrics = await fetch(`${platform.httpUrl!}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/aftercare_ingest_rejected_total\{reason="future_timestamp"\} [1-9]/);
    });

    it("stores a sample redelivered with the same seq once, and a restarted counter's samples all", async () => {
      const device = await api.provision('ac-e2e-6');
      const client = await connectDevice(platform.mqttUrl, device.id, device.secret);
      const ts = Date.now() - 5000;
      await publish(client, topics.telemetry(device.id), { ts, seq: 42, metrics: { power_w: 1000 } });
      // The same sample again, as a QoS 1 redelivery (or a firmware resending it) carries it.
      await publish(client, topics.telemetry(device.id), { ts, seq: 42, metrics: { power_w: 1000 } });
      // The device rebooted and counts from 42 again: a new sample, not a copy.
      await publish(client, topics.telemetry(device.id), {
        ts: ts + 1000,
        seq: 42,
        metrics: { power_w: 1100 },
      });
      await client.endAsync();
      const res = await api.get(`/api/devices/${device.id}/telemetry?metrics=power_w&from=${ts - 1000}`);
      expect(res.body.series[0].ts).toEqual([ts, ts + 1000]);
      expect(res.body.series[0].mean).toEqual([1000, 1100]);
      const metrics = await fetch(`${platform.httpUrl!}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/aftercare_ingest_duplicates_total [1-9]/);
    });

    it.skipIf(!hasMosquittoPub)("accepts telemetry from Mosquitto's own mosquitto_pub client", async () => {
      const device = await api.provision('wp-e2e-7', 'water-purifier');
      const port = new URL(platform.mqttUrl).port;
      const ts = Date.now() - 1000;
      await run('mosquitto_pub', [
        '-h',
        '127.0.0.1',
        '-p',
        port,
        '-i',
        device.id,
        '-u',
        device.id,
        '-P',
        device.secret,
        '-q',
        '1',
        '-t',
        topics.telemetry(device.id),
        '-m',
        JSON.stringify({ ts, metrics: { membrane_pressure_kpa: 512.5 } }),
      ]);
      const res = await eventually(async () => {
        const r = await api.get(`/api/devices/${device.id}`);
        return r.body.latest ? r : undefined;
      });
      expect(res.body.latest).toEqual({ membrane_pressure_kpa: 512.5 });
    });
  });
}
