import { afterEach, describe, expect, it } from 'vitest';
import {
  closed,
  collect,
  eventually,
  ingestAccount,
  metricValue,
  type RunningBroker,
  serviceAccount,
  startBroker,
  subscribeCodes,
} from './test-support.ts';

let running: RunningBroker | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function connectIngest(r: RunningBroker) {
  return r.connect({
    clientId: ingestAccount.username,
    username: ingestAccount.username,
    password: ingestAccount.secret,
  });
}

describe('broker topic ACL', () => {
  it('closes the connection of a device publishing to another device and delivers nothing of it', async () => {
    running = await startBroker();
    const ingest = await connectIngest(running);
    await ingest.subscribeAsync('aftercare/+/telemetry', { qos: 1 });
    const received = collect(ingest);
    const intruder = await running.connectDevice('ac-0001');
    const cut = closed(intruder);
    intruder.publish('aftercare/ac-0002/telemetry', '{"ts":1,"metrics":{"x_a":1}}', { qos: 1 });
    await cut;

    const honest = await running.connectDevice('ac-0002');
    await honest.publishAsync('aftercare/ac-0002/telemetry', 'marker', { qos: 1 });
    await eventually(() => expect(received.length).toBe(1));
    expect(received[0]).toMatchObject({ topic: 'aftercare/ac-0002/telemetry', payload: 'marker' });
    expect(running.refusals).toEqual([
      {
        reason: 'forbidden_publish',
        clientId: 'ac-0001',
        username: 'ac-0001',
        topic: 'aftercare/ac-0002/telemetry',
      },
    ]);
    expect(
      await metricValue(running.registry, 'aftercare_broker_refusals_total', { reason: 'forbidden_publish' }),
    ).toBe(1);
  });

  it('does not let a device publish to its own commands topic or to $SYS', async () => {
    running = await startBroker();
    for (const topic of ['aftercare/ac-0001/commands', '$SYS/fake/heartbeat']) {
      const device = await running.connectDevice('ac-0001');
      const cut = closed(device);
      device.publish(topic, 'x', { qos: 0 });
      await cut;
    }
    expect(running.refusals.map((r) => r.topic)).toEqual([
      'aftercare/ac-0001/commands',
      '$SYS/fake/heartbeat',
    ]);
  });

  it("answers a subscription to another device's commands with the failure code and keeps the connection", async () => {
    running = await startBroker();
    const device = await running.connectDevice('ac-0001');
    const codes = await subscribeCodes(device, [
      'aftercare/ac-0002/commands',
      'aftercare/+/commands',
      '$SYS/#',
    ]);
    expect(codes).toEqual([128, 128, 128]);
    expect(device.connected).toBe(true);
    expect(running.refusals.map((r) => r.reason)).toEqual([
      'forbidden_subscribe',
      'forbidden_subscribe',
      'forbidden_subscribe',
    ]);
    expect(
      await metricValue(running.registry, 'aftercare_broker_refusals_total', {
        reason: 'forbidden_subscribe',
      }),
    ).toBe(3);
  });

  it('delivers the platform’s commands to the device they are for, and only to it', async () => {
    running = await startBroker();
    const device = await running.connectDevice('ac-0001');
    const other = await running.connectDevice('ac-0002');
    expect((await device.subscribeAsync('aftercare/ac-0001/commands', { qos: 1 }))[0]?.qos).toBe(1);
    await other.subscribeAsync('aftercare/ac-0002/commands', { qos: 1 });
    const mine = collect(device);
    const theirs = collect(other);
    await running.broker.publish(
      'aftercare/ac-0001/commands',
      '{"commandId":"c1","command":"defrost","ts":1}',
    );
    await eventually(() =>
      expect(mine.map((m) => m.payload)).toEqual(['{"commandId":"c1","command":"defrost","ts":1}']),
    );
    expect(theirs).toEqual([]);
  });

  it('lets the service account command a device, and not the ingest account', async () => {
    running = await startBroker();
    const device = await running.connectDevice('ac-0001');
    await device.subscribeAsync('aftercare/ac-0001/commands', { qos: 1 });
    const received = collect(device);
    const service = await running.connect({
      clientId: serviceAccount.username,
      username: serviceAccount.username,
      password: serviceAccount.secret,
    });
    await service.publishAsync('aftercare/ac-0001/commands', 'reboot', { qos: 1 });
    await eventually(() => expect(received.map((m) => m.payload)).toEqual(['reboot']));

    const ingest = await connectIngest(running);
    const cut = closed(ingest);
    ingest.publish('aftercare/ac-0001/commands', 'sneaky', { qos: 1 });
    await cut;
    expect(received.map((m) => m.payload)).toEqual(['reboot']);
    expect(running.refusals.map((r) => r.reason)).toEqual(['forbidden_publish']);
  });

  it('keeps services to device telemetry, events and status', async () => {
    running = await startBroker();
    const ingest = await connectIngest(running);
    const codes = await subscribeCodes(ingest, [
      'aftercare/+/telemetry',
      'aftercare/+/events',
      'aftercare/+/status',
      'aftercare/#',
      'aftercare/+/commands',
      '$SYS/#',
    ]);
    expect(codes).toEqual([1, 1, 1, 128, 128, 128]);
  });
});
