import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { InterceptedPublish } from './ports.ts';
import {
  closed,
  collect,
  eventually,
  ingestAccount,
  metricValue,
  type RunningBroker,
  startBroker,
} from './test-support.ts';

let running: RunningBroker | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const statusTopic = 'aftercare/ac-0001/status';

/** A broker whose interceptor records what it is shown, and a reader of the device's status topic. */
async function setUp() {
  const intercepted: InterceptedPublish[] = [];
  running = await startBroker({}, { interceptor: async (m) => void intercepted.push(m) });
  const presence: string[] = [];
  running.broker.on('deviceOnline', (id) => presence.push(`online ${id}`));
  running.broker.on('deviceOffline', (id) => presence.push(`offline ${id}`));
  const reader = await running.connect({
    clientId: ingestAccount.username,
    username: ingestAccount.username,
    password: ingestAccount.secret,
  });
  await reader.subscribeAsync(statusTopic, { qos: 1 });
  const statuses = collect(reader);
  const device = await running.connectDevice('ac-0001');
  await eventually(() => expect(statuses.map((m) => m.payload)).toEqual(['online']));
  return { running, intercepted, presence, statuses, device };
}

/** The retained status a newcomer is told. */
async function retainedStatus(r: RunningBroker): Promise<string> {
  const newcomer: MqttClient = await r.connect({
    clientId: `${ingestAccount.username}-late`,
    username: ingestAccount.username,
    password: ingestAccount.secret,
  });
  const message = new Promise<string>((resolve) => newcomer.once('message', (_t, p) => resolve(String(p))));
  await newcomer.subscribeAsync(statusTopic, { qos: 1 });
  const status = await message;
  await newcomer.endAsync();
  return status;
}

describe('a device publishing its own status', () => {
  it('may announce itself online', async () => {
    const { running, intercepted, device, statuses } = await setUp();
    await device.publishAsync(statusTopic, 'online', { qos: 1, retain: true });
    await eventually(() => expect(statuses.map((m) => m.payload)).toEqual(['online', 'online']));
    expect(device.connected).toBe(true);
    expect(running.refusals).toEqual([]);
    expect(intercepted.map((m) => [m.kind, String(m.payload)])).toEqual([['status', 'online']]);
  });

  it.each([
    ['garbage', 'garbage'],
    ['another case', 'Online'],
    ['trailing white space', 'offline\n'],
    // MQTT reads an empty retained payload as "delete the retained message".
    ['an empty payload', ''],
  ])('is refused and counted for %s, and the broker presence stands', async (_case, payload) => {
    const { running, intercepted, device, statuses } = await setUp();
    const cut = closed(device);
    device.publish(statusTopic, payload, { qos: 1, retain: true });
    await cut;
    expect(running.refusals).toEqual([
      { reason: 'invalid_status', clientId: 'ac-0001', username: 'ac-0001', topic: statusTopic },
    ]);
    expect(
      await metricValue(running.registry, 'aftercare_broker_refusals_total', { reason: 'invalid_status' }),
    ).toBe(1);
    // The refused publish closed the connection (MQTT 3.1.1 has no negative ack), so the broker says offline.
    await eventually(() => expect(statuses.map((m) => m.payload)).toEqual(['online', 'offline']));
    expect(await retainedStatus(running)).toBe('offline');
    expect(intercepted).toEqual([]);
  });

  it('says offline while connected and is answered with online, retained after it', async () => {
    const { running, intercepted, presence, device, statuses } = await setUp();
    await device.publishAsync(statusTopic, 'offline', { qos: 1, retain: true });
    await eventually(() => expect(statuses.map((m) => m.payload)).toEqual(['online', 'offline', 'online']));
    expect(await retainedStatus(running)).toBe('online');
    expect(device.connected).toBe(true);
    expect(running.broker.isOnline('ac-0001')).toBe(true);
    expect(presence).toEqual(['online ac-0001']);
    expect(running.refusals).toEqual([]);
    // Ingest would have marked the device offline from it, and never sees the broker's answer.
    expect(intercepted).toEqual([]);
  });

  it('says offline and disconnects, as the simulator shuts down, and offline stands', async () => {
    const { running, presence, device, statuses } = await setUp();
    await device.publishAsync(statusTopic, 'offline', { qos: 1, retain: true });
    await device.endAsync();
    await eventually(() => expect(presence).toEqual(['online ac-0001', 'offline ac-0001']));
    await eventually(() => expect(statuses.at(-1)?.payload).toBe('offline'));
    expect(await retainedStatus(running)).toBe('offline');
    expect(running.refusals).toEqual([]);
  });
});
