import { afterEach, describe, expect, it } from 'vitest';
import type { InterceptedPublish } from './ports.ts';
import { eventually, metricValue, type RunningBroker, startBroker } from './test-support.ts';

let running: RunningBroker | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** A promise the test settles by hand. */
function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('broker publish interceptor', () => {
  it('is shown every authorized device publish with who sent it and what it is', async () => {
    const seen: InterceptedPublish[] = [];
    running = await startBroker({}, { interceptor: async (m) => void seen.push(m) });
    const device = await running.connectDevice('ac-0001');
    await device.publishAsync('aftercare/ac-0001/telemetry', '{"ts":1}', { qos: 1 });
    await device.publishAsync('aftercare/ac-0001/events', '{"ts":2}', { qos: 0, retain: true });
    await eventually(() => expect(seen).toHaveLength(2));
    expect(seen[0]).toEqual({
      deviceId: 'ac-0001',
      kind: 'telemetry',
      topic: 'aftercare/ac-0001/telemetry',
      payload: Buffer.from('{"ts":1}'),
      qos: 1,
      retain: false,
    });
    expect(seen[1]).toMatchObject({ kind: 'events', qos: 0, retain: true });
  });

  it('holds the PUBACK until the interceptor has resolved', async () => {
    const gate = deferred();
    const order: string[] = [];
    let called = false;
    running = await startBroker(
      {},
      {
        interceptor: async (m) => {
          if (m.deviceId !== 'ac-0001') return;
          called = true;
          await gate.promise;
        },
      },
    );
    const device = await running.connectDevice('ac-0001');
    device.on('packetreceive', (packet) => packet.cmd === 'puback' && order.push('puback'));
    const acked = device.publishAsync('aftercare/ac-0001/telemetry', '{"ts":1}', { qos: 1 });
    await eventually(() => expect(called).toBe(true));
    // A full round trip of another device gives an early PUBACK every chance to show up first.
    const other = await running.connectDevice('ac-0002');
    await other.publishAsync('aftercare/ac-0002/telemetry', '{"ts":1}', { qos: 1 });
    order.push('resolved');
    gate.resolve();
    await acked;
    expect(order).toEqual(['resolved', 'puback']);
  });

  it('closes the connection without PUBACK when the interceptor rejects, and takes the redelivery', async () => {
    const calls: string[] = [];
    running = await startBroker(
      {},
      {
        interceptor: async (m) => {
          calls.push(m.payload.toString());
          if (calls.length === 1) throw new Error('store unavailable');
        },
      },
    );
    const device = await running.connectDevice('ac-0001', { reconnectPeriod: 50 });
    let disconnections = 0;
    device.on('close', () => disconnections++);
    await device.publishAsync('aftercare/ac-0001/telemetry', '{"ts":1,"seq":7}', { qos: 1 });
    expect(calls).toEqual(['{"ts":1,"seq":7}', '{"ts":1,"seq":7}']);
    expect(disconnections).toBe(1);
    expect(running.refusals.map((r) => r.reason)).toEqual(['intercept_rejected']);
    expect(
      await metricValue(running.registry, 'aftercare_broker_refusals_total', {
        reason: 'intercept_rejected',
      }),
    ).toBe(1);
    expect(
      await metricValue(running.registry, 'aftercare_broker_messages_in_total', { kind: 'telemetry' }),
    ).toBe(1);
  });

  it('is not asked about publishes the ACL refused', async () => {
    const seen: string[] = [];
    running = await startBroker({}, { interceptor: async (m) => void seen.push(m.topic) });
    const device = await running.connectDevice('ac-0001');
    device.publish('aftercare/ac-0002/telemetry', 'x', { qos: 1 });
    await eventually(() => expect(running?.refusals).toHaveLength(1));
    expect(seen).toEqual([]);
  });
});
