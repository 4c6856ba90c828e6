import { setTimeout as sleep } from 'node:timers/promises';
import { parseDeviceEvent, parseTelemetryPayload, type TelemetrySample, topics } from '@aftercare/core';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceSpec, GroundTruthRecord } from '../device-spec.ts';
import { fleetSpecs } from '../fleet.ts';
import { DAY_MS } from '../region.ts';
import { portWithNoListener } from '../testing/no-listener.ts';
import {
  eventually,
  type Observed,
  observe,
  startTestBroker,
  type TestBroker,
} from '../testing/test-broker.ts';
import { type FleetRun, runFleet } from './fleet-runner.ts';

const now = Date.now();
const start = now - 2 * DAY_MS;
const [ac, fridge, purifier] = fleetSpecs({
  seed: 12,
  devices: 3,
  models: { 'split-ac': 1, refrigerator: 1, 'water-purifier': 1 },
  start,
  failureRate: 0,
});
// The fridge's sensor has been drifting for a while: a remote recalibration can fix it.
const driftingFridge: DeviceSpec = {
  ...fridge!,
  failures: [{ failureMode: 'sensor_drift', onsetAt: start - 5 * DAY_MS, failedAt: now + 20 * DAY_MS }],
};
// The purifier fails soon after the start: ground truth and a failure event must both come out.
const failingPurifier: DeviceSpec = {
  ...purifier!,
  failures: [{ failureMode: 'booster_pump_wear', onsetAt: start - 10 * DAY_MS, failedAt: start + 3_600_000 }],
};
const specs = [ac!, driftingFridge, failingPurifier];
const devices = specs.map((spec) => ({ spec, secret: `secret-${spec.id}` }));

function telemetryOf(messages: Observed[], deviceId: string): TelemetrySample[] {
  return messages
    .filter((m) => m.topic === topics.telemetry(deviceId))
    .flatMap((m) => {
      const parsed = parseTelemetryPayload(m.payload, Date.now());
      if (!parsed.ok) throw new Error(`invalid telemetry: ${parsed.detail}`);
      return parsed.value;
    });
}

function eventsOf(messages: Observed[], deviceId: string) {
  return messages
    .filter((m) => m.topic === topics.events(deviceId))
    .map((m) => {
      const parsed = parseDeviceEvent(m.payload, Date.now());
      if (!parsed.ok) throw new Error(`invalid event: ${parsed.detail}`);
      return parsed.value;
    });
}

function lastStatus(messages: Observed[], deviceId: string): string | undefined {
  return messages
    .filter((m) => m.topic === topics.status(deviceId))
    .at(-1)
    ?.payload.toString();
}

describe('runFleet', () => {
  let broker: TestBroker;
  let observer: { client: MqttClient; messages: Observed[] };
  let run: FleetRun | null = null;
  const truth: GroundTruthRecord[] = [];

  beforeEach(async () => {
    broker = await startTestBroker(new Map(devices.map((d) => [d.spec.id, d.secret])));
    observer = await observe(broker.url, [
      'aftercare/+/telemetry',
      'aftercare/+/events',
      'aftercare/+/status',
    ]);
    truth.length = 0;
  });

  afterEach(async () => {
    await run?.stop();
    run = null;
    await observer.client.endAsync();
    await broker.close();
  });

  function start1h(options: Partial<Parameters<typeof runFleet>[0]> = {}): FleetRun {
    run = runFleet({
      mqttUrl: broker.url,
      devices,
      speed: 3600,
      intervalMs: 60_000,
      start,
      minPublishSpacingMs: 100,
      onGroundTruth: (record) => truth.push(record),
      ...options,
    });
    return run;
  }

  it('connects each device with its own credentials and streams valid telemetry with increasing seq', async () => {
    const fleet = start1h();
    await eventually('three devices online', () =>
      specs.every((s) => lastStatus(observer.messages, s.id) === 'online'),
    );
    expect(broker.logins.filter((l) => l.username !== 'observer')).toEqual(
      expect.arrayContaining(specs.map((s) => ({ username: s.id, clientId: s.id }))),
    );
    await eventually('telemetry from every device', () =>
      specs.every((s) => telemetryOf(observer.messages, s.id).length >= 120),
    );
    for (const spec of specs) {
      const samples = telemetryOf(observer.messages, spec.id);
      for (let i = 1; i < samples.length; i++) expect(samples[i]!.seq).toBe(samples[i - 1]!.seq! + 1);
      expect(samples[0]!.ts).toBeGreaterThan(start);
      expect(samples.at(-1)!.ts).toBeLessThanOrEqual(Date.now());
    }
    // At 3600× a device has dozens of samples per second to send: they travel batched, not one per message.
    const messages = observer.messages.filter((m) => m.topic === topics.telemetry(ac!.id));
    expect(telemetryOf(observer.messages, ac!.id).length).toBeGreaterThan(messages.length);
    expect(fleet.progress().connected).toBe(3);
  });

  it('publishes an injected failure as an event and as ground truth, and a repair the service makes', async () => {
    start1h();
    const failure = await eventually('the purifier failure event', () =>
      eventsOf(observer.messages, failingPurifier.id).find((e) => e.type === 'failure'),
    );
    expect(failure).toMatchObject({
      code: 'booster_pump_wear',
      component: 'booster_pump',
      failureMode: 'booster_pump_wear',
    });
    expect(truth).toEqual([
      {
        deviceId: failingPurifier.id,
        model: 'water-purifier',
        failureMode: 'booster_pump_wear',
        component: 'booster_pump',
        onsetAt: start - 10 * DAY_MS,
        failedAt: start + 3_600_000,
      },
    ]);
    expect(run!.progress().failuresInjected).toBe(1);
    const outcome = run!.repair(failingPurifier.id);
    expect(outcome.cleared).toMatchObject([{ failureMode: 'booster_pump_wear', prevented: false }]);
    await eventually('the repair event', () =>
      eventsOf(observer.messages, failingPurifier.id).find((e) => e.type === 'info' && e.code === 'repaired'),
    );
  });

  it('answers commands on its events topic, applying the remote fixes of the catalog', async () => {
    const fleet = start1h();
    await eventually('fridge online', () => lastStatus(observer.messages, driftingFridge.id) === 'online');
    const send = (command: object) =>
      observer.client.publishAsync(topics.commands(driftingFridge.id), JSON.stringify(command), { qos: 1 });
    await send({ commandId: 'cmd-1', command: 'recalibrate_sensor', ts: Date.now() });
    await send({ commandId: 'cmd-2', command: 'explode', ts: Date.now() });
    await send({ commandId: 'cmd-3', command: 'BAD COMMAND', ts: Date.now() });
    const answers = await eventually('three command results', () => {
      const results = eventsOf(observer.messages, driftingFridge.id).filter(
        (e) => e.type === 'command_result',
      );
      return results.length >= 3 && results;
    });
    expect(answers.map((a) => [a.commandId, a.code])).toEqual([
      ['cmd-1', 'ok'],
      ['cmd-2', 'unknown_command'],
      ['cmd-3', 'invalid_command'],
    ]);
    expect(answers[0]!.data).toMatchObject({ cleared: 'sensor_drift' });
    expect(fleet.simulator(driftingFridge.id).openFailures()).toEqual([]);
  });

  it('reconnects after the broker drops it and resends the messages that were never acknowledged', async () => {
    const fleet = start1h({ speed: 600 });
    await eventually('telemetry flowing', () => telemetryOf(observer.messages, ac!.id).length > 10);
    broker.holdTelemetry = true;
    await eventually('unacknowledged telemetry', () => broker.held.length >= 3);
    const heldSeqs = broker.held.flatMap((payload) => {
      const parsed = parseTelemetryPayload(payload, Date.now());
      return parsed.ok ? parsed.value.map((s) => `${s.seq}`) : [];
    });
    const before = fleet.progress().reconnects;
    broker.dropClients();
    broker.holdTelemetry = false;
    await eventually(
      'reconnects',
      () => fleet.progress().reconnects > before && fleet.progress().connected === 3,
    );
    await eventually('the held messages, resent', () => {
      const seen = new Set(specs.flatMap((s) => telemetryOf(observer.messages, s.id).map((x) => `${x.seq}`)));
      return heldSeqs.every((seq) => seen.has(seq));
    });
    // Nothing lost: every device's seqs are contiguous up to the newest (duplicates are the platform's to drop).
    for (const spec of specs) {
      const seqs = [...new Set(telemetryOf(observer.messages, spec.id).map((s) => s.seq!))].sort(
        (a, b) => a - b,
      );
      expect(seqs.at(-1)! - seqs[0]! + 1).toBe(seqs.length);
    }
  });

  it('says offline on stop, with every message it sent acknowledged', async () => {
    const fleet = start1h();
    await eventually('three devices online', () =>
      specs.every((s) => lastStatus(observer.messages, s.id) === 'online'),
    );
    await fleet.stop();
    run = null;
    await eventually('three devices offline', () =>
      specs.every((s) => lastStatus(observer.messages, s.id) === 'offline'),
    );
    const progress = fleet.progress();
    expect(progress.connected).toBe(0);
    expect(progress.messagesAcked).toBe(progress.messagesSent);
  });

  it('gives up on a device whose credentials the broker refuses', async () => {
    const fleet = start1h({ devices: [{ spec: ac!, secret: 'wrong' }] });
    await eventually('refusal', () => fleet.progress().refused === 1);
    expect(fleet.progress().connected).toBe(0);
  });

  // Regression: a run whose every device was refused sent nothing and said nothing.
  it('says it has failed when the broker refuses every device', async () => {
    const fleet = start1h({ devices: devices.map(({ spec }) => ({ spec, secret: 'wrong' })) });
    await expect(within(5000, fleet.failed)).resolves.toEqual({
      kind: 'refused',
      reason: expect.stringMatching(/^Connection refused/),
    });
  });

  // Regression: with nothing listening at the URL, `pnpm sim run` streamed nothing and ended with exit 0.
  it('says at once that it has failed when nothing listens at the broker URL', async () => {
    const fleet = start1h({ mqttUrl: `mqtt://127.0.0.1:${await portWithNoListener()}` });
    await expect(within(5000, fleet.failed)).resolves.toEqual({
      kind: 'unreachable',
      reason: 'connection refused',
    });
  });

  it('takes a broker lost after devices connected for an outage, not a failure', async () => {
    const fleet = start1h();
    await eventually('three devices online', () => fleet.progress().connected === 3);
    await observer.client.endAsync();
    await broker.close();
    broker = await startTestBroker(new Map());
    observer = await observe(broker.url, ['aftercare/+/status']);
    await eventually('a reconnect attempt to the lost broker', () => fleet.progress().reconnects > 0);
    expect(await Promise.race([fleet.failed, sleep(500, 'pending')])).toBe('pending');
  });
});

/** `promise`, or a failure saying it took longer than `ms`. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    sleep(ms).then(() => {
      throw new Error(`not settled within ${ms} ms`);
    }),
  ]);
}
