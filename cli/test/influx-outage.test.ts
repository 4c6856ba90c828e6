import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { topics } from '@aftercare/core';
import { requireBinary, startInfluxd } from '@aftercare/ingest/testing';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlatform, startPlatform } from '../src/platform.ts';
import { Api } from './helpers.ts';
import { testPlatformConfig } from './platform-config.ts';

const hasInflux = requireBinary('/usr/bin/influxd', 'influxdb');
const token = 'outage-admin-token-0123456789';

describe.skipIf(!hasInflux)('an InfluxDB outage while devices publish', () => {
  let influx: Awaited<ReturnType<typeof startInfluxd>>;
  let platform: RunningPlatform;
  let dataDir: string;

  beforeAll(async () => {
    influx = await startInfluxd();
    dataDir = mkdtempSync(join(tmpdir(), 'aftercare-outage-'));
    const config = testPlatformConfig(dataDir, token, {
      AFTERCARE_INFLUX_URL: influx.url,
      AFTERCARE_INFLUX_DB: 'outage',
    });
    platform = await startPlatform({ config });
  });

  afterAll(async () => {
    await platform?.stop();
    await influx?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses none of the samples devices sent while InfluxDB was stopped for 10 s', {
    timeout: 120_000,
  }, async () => {
    const api = new Api(platform.httpUrl!, token);
    const devices: { id: string; client: MqttClient; sent: number[]; duringOutage: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const { id, secret } = await api.provision(`ac-outage-${i}`, 'split-ac');
      const client = await mqtt.connectAsync(platform.mqttUrl, {
        clientId: id,
        username: id,
        password: secret,
        clean: false,
      });
      devices.push({ id, client, sent: [], duringOutage: 0 });
    }
    const start = Date.now() - 60_000;
    let stopPublishing = false;
    let storeStopped = false;
    const acks: Promise<unknown>[] = [];
    // Each device publishes 20 QoS 1 messages a second, at a steady rate, whatever the store does.
    const publishers = devices.map(async (device, d) => {
      for (let seq = 0; !stopPublishing; seq++) {
        const ts = start + seq * 50 + d;
        device.sent.push(ts);
        if (storeStopped) device.duringOutage++;
        acks.push(
          device.client.publishAsync(
            topics.telemetry(device.id),
            JSON.stringify({ ts, seq, metrics: { compressor_current_a: 5 + (seq % 10) / 10 } }),
            { qos: 1 },
          ),
        );
        await sleep(50);
      }
    });

    await sleep(3000);
    await influx.stop();
    storeStopped = true;
    await sleep(10_000);
    expect(platform.ingest.storeUp).toBe(false);
    expect(platform.ingest.pendingSamples).toBeGreaterThan(0);
    await influx.start();
    storeStopped = false;
    await sleep(3000);
    stopPublishing = true;
    await Promise.all(publishers);
    await Promise.all(acks);
    await Promise.all(devices.map((d) => d.client.endAsync()));

    for (const device of devices) {
      const series = await platform.store.querySeries({
        deviceId: device.id,
        metrics: ['compressor_current_a'],
        from: start,
        to: Date.now(),
      });
      expect(series[0]?.ts).toEqual(device.sent);
    }
    // Every device published while the store was down: what was checked above includes the outage's
    // samples (how many depends on how busy the machine is, so the count is not asserted).
    for (const device of devices) expect(device.duringOutage, device.id).toBeGreaterThan(0);
  });
});
