import mqtt from 'mqtt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  canConnect,
  freePort,
  influxdPath,
  mosquittoPath,
  requireBinary,
  startInfluxd,
  startMosquitto,
} from './index.ts';

describe('requireBinary', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('answers true for an installed binary', () => {
    expect(requireBinary('/bin/sh', 'dash')).toBe(true);
  });

  it('warns loudly and answers false locally when the binary is missing', () => {
    vi.stubEnv('CI', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(requireBinary('/nonexistent/influxd', 'influxdb')).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('apt-get install influxdb'));
  });

  it('fails in CI instead of skipping', () => {
    vi.stubEnv('CI', 'true');
    expect(() => requireBinary('/nonexistent/influxd', 'influxdb')).toThrow(/apt-get install influxdb/);
  });
});

describe('freePort', () => {
  it('gives a port nothing listens on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(await canConnect(port)).toBe(false);
  });
});

describe.skipIf(!requireBinary(influxdPath, 'influxdb'))('startInfluxd', () => {
  it('reports what influxd said when it cannot start', async () => {
    const start = startInfluxd({ extraConfig: '[http]\n  enabled = true\n' });
    await expect(start).rejects.toThrow(/influxd exited during start[\s\S]*http/);
  });

  it('stops, starts again on the same port with the same data, and cleans up', async () => {
    const influxd = await startInfluxd();
    const write = await fetch(`${influxd.url}/query`, {
      method: 'POST',
      body: new URLSearchParams({ q: 'CREATE DATABASE kept' }),
    });
    expect(write.status).toBe(200);
    await influxd.stop();
    expect(await canConnect(influxd.port)).toBe(false);
    await influxd.start();
    const show = await fetch(`${influxd.url}/query?q=SHOW+DATABASES`);
    expect(JSON.stringify(await show.json())).toContain('kept');
    await influxd.dispose();
    expect(await canConnect(influxd.port)).toBe(false);
  });
});

describe.skipIf(!requireBinary(mosquittoPath, 'mosquitto'))('startMosquitto', () => {
  it('carries a QoS 1 message from a publisher to a subscriber', async () => {
    const broker = await startMosquitto();
    try {
      const subscriber = await mqtt.connectAsync(broker.url, { clientId: 'sub' });
      const publisher = await mqtt.connectAsync(broker.url, { clientId: 'pub' });
      const received = new Promise<string>((resolve) =>
        subscriber.on('message', (_topic, payload) => resolve(payload.toString())),
      );
      await subscriber.subscribeAsync('aftercare/+/telemetry', { qos: 1 });
      await publisher.publishAsync(
        'aftercare/ac-0001/telemetry',
        '{"ts":1,"metrics":{"compressor_current_a":6.1}}',
        { qos: 1 },
      );
      expect(await received).toContain('compressor_current_a');
      await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
    } finally {
      await broker.dispose();
    }
  });
});
