import { afterEach, describe, expect, it } from 'vitest';
import { closed, eventually, metricValue, type RunningBroker, startBroker } from './test-support.ts';

let running: RunningBroker | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('broker publish rate limit', () => {
  it('delays a flooding device while another device’s messages still flow promptly', async () => {
    const acceptedAt = new Map<string, number[]>();
    running = await startBroker(
      { msgsPerSecond: 20 },
      {
        interceptor: async (m) => {
          const times = acceptedAt.get(m.deviceId) ?? [];
          times.push(performance.now());
          acceptedAt.set(m.deviceId, times);
        },
      },
    );
    const flooder = await running.connectDevice('ac-0001');
    const neighbour = await running.connectDevice('ac-0002');
    const started = performance.now();
    // 40 go at once (the burst), the next 30 at 20/s: about 1.5 s in all, under the 2 s cut-off.
    const flood = Promise.all(
      Array.from({ length: 70 }, (_, i) =>
        flooder.publishAsync('aftercare/ac-0001/telemetry', `{"seq":${i}}`, { qos: 1 }),
      ),
    );
    await eventually(() => expect(acceptedAt.get('ac-0001')?.length).toBeGreaterThan(40));

    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const sent = performance.now();
      await neighbour.publishAsync('aftercare/ac-0002/telemetry', `{"seq":${i}}`, { qos: 1 });
      latencies.push(performance.now() - sent);
    }
    await flood;
    const floodMs = performance.now() - started;

    expect(floodMs).toBeGreaterThan(1200);
    expect(Math.max(...latencies)).toBeLessThan(250);
    expect(flooder.connected).toBe(true);
    expect(running.refusals).toEqual([]);
  });

  it('disconnects a device that stays far over its rate, and counts it', async () => {
    running = await startBroker({ msgsPerSecond: 20 });
    const flooder = await running.connectDevice('ac-0001');
    const cut = closed(flooder);
    for (let i = 0; i < 500; i++) flooder.publish('aftercare/ac-0001/telemetry', `{"seq":${i}}`, { qos: 0 });
    await cut;
    expect(running.refusals).toEqual([
      {
        reason: 'rate_limited',
        clientId: 'ac-0001',
        username: 'ac-0001',
        topic: 'aftercare/ac-0001/telemetry',
      },
    ]);
    expect(
      await metricValue(running.registry, 'aftercare_broker_refusals_total', { reason: 'rate_limited' }),
    ).toBe(1);
    expect((await running.connectDevice('ac-0002')).connected).toBe(true);
  });
});
