import { catalog, parseTelemetryPayload, topics } from '@aftercare/core';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { portWithNoListener } from '../testing/no-listener.ts';
import {
  eventually,
  type Observed,
  observe,
  startTestBroker,
  type TestBroker,
} from '../testing/test-broker.ts';
import { runLoad } from './load-runner.ts';

const devices = Array.from({ length: 5 }, (_, i) => ({
  id: `load-${i}`,
  secret: `secret-${i}`,
  model: i % 2 === 0 ? ('split-ac' as const) : ('washing-machine' as const),
}));

describe('runLoad', () => {
  let broker: TestBroker;
  let observer: { client: MqttClient; messages: Observed[] };

  beforeEach(async () => {
    broker = await startTestBroker(new Map(devices.map((d) => [d.id, d.secret])));
    observer = await observe(broker.url, ['aftercare/+/telemetry']);
  });

  afterEach(async () => {
    await observer.client.endAsync();
    await broker.close();
  });

  it('publishes the requested samples at QoS 1, all acknowledged, each stamped with its publish time', async () => {
    const acks: number[] = [];
    const report = await runLoad({
      mqttUrl: broker.url,
      devices,
      count: 1000,
      samplesPerMessage: 4,
      qos: 1,
      onAck: (ack) => acks.push(ack.ackedAt - ack.publishedAt),
    });
    expect(report).toMatchObject({
      connected: 5,
      samplesSent: 1000,
      samplesAcked: 1000,
      messagesSent: 250,
      publishErrors: 0,
    });
    expect(acks).toHaveLength(250);
    expect(report.ackLatencyMs!.p50).toBeGreaterThanOrEqual(0);
    await eventually('every message routed to the observer', () => observer.messages.length === 250);
    const samples = observer.messages.flatMap((m) => {
      const parsed = parseTelemetryPayload(m.payload, Date.now());
      if (!parsed.ok) throw new Error(parsed.detail);
      return parsed.value.map((s) => ({ ...s, deviceId: m.topic.split('/')[1]! }));
    });
    expect(samples).toHaveLength(1000);
    for (const s of samples) {
      expect(s.ts).toBeGreaterThanOrEqual(report.startedAt);
      expect(s.ts).toBeLessThanOrEqual(report.publishedUntil + 1000);
    }
    // Realistic shape: the metrics of the device's model.
    const acMetrics = catalog['split-ac'].metrics.map((m) => m.name).sort();
    expect(Object.keys(samples.find((s) => s.deviceId === 'load-0')!.metrics).sort()).toEqual(acMetrics);
    // Per device, seq and ts only grow, so the platform never takes a sample for a redelivery.
    for (const device of devices) {
      const mine = samples.filter((s) => s.deviceId === device.id);
      for (let i = 1; i < mine.length; i++) {
        expect(mine[i]!.seq!).toBeGreaterThan(mine[i - 1]!.seq!);
        expect(mine[i]!.ts).toBeGreaterThan(mine[i - 1]!.ts);
      }
    }
    expect(
      observer.messages.every((m) => m.topic.startsWith('aftercare/load-') && m.topic.endsWith('/telemetry')),
    ).toBe(true);
    expect(topics.telemetry('load-0')).toBe('aftercare/load-0/telemetry');
  });

  it('holds a target rate', async () => {
    const report = await runLoad({ mqttUrl: broker.url, devices, totalRate: 500, durationS: 1, qos: 0 });
    expect(report.samplesSent).toBeGreaterThan(350);
    expect(report.samplesSent).toBeLessThanOrEqual(500);
    expect(report.samplesAcked).toBe(report.samplesSent);
  });

  // Regression: with nothing listening, a 2 s load waited out the 60 s connect timeout before failing.
  it('returns at once, publishing nothing, with the reason when nothing listens at the broker URL', async () => {
    const startedAt = Date.now();
    const report = await runLoad({
      mqttUrl: `mqtt://127.0.0.1:${await portWithNoListener()}`,
      devices,
      durationS: 2,
    });
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect(report).toMatchObject({
      connected: 0,
      samplesSent: 0,
      failure: { kind: 'unreachable', reason: 'connection refused' },
    });
  });

  it('returns at once with the reason when the broker refuses every device', async () => {
    const startedAt = Date.now();
    const report = await runLoad({
      mqttUrl: broker.url,
      devices: devices.map((d) => ({ ...d, secret: 'wrong' })),
      durationS: 2,
    });
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect(report).toMatchObject({ connected: 0, samplesSent: 0, failure: { kind: 'refused' } });
  });

  it('starts without waiting out the connect timeout for a device the broker refused', async () => {
    const startedAt = Date.now();
    const report = await runLoad({
      mqttUrl: broker.url,
      devices: devices.map((d, i) => (i === 0 ? { ...d, secret: 'wrong' } : d)),
      count: 40,
      connectTimeoutMs: 30_000,
    });
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(report).toMatchObject({ connected: 4, samplesAcked: 40 });
    expect(report.failure).toBeUndefined();
  });
});
