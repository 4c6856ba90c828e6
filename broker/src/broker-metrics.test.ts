import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closed,
  collect,
  eventually,
  metricValue,
  type RunningBroker,
  refusedLogin,
  startBroker,
} from './test-support.ts';

const started: RunningBroker[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.stop()));
});

async function start(...args: Parameters<typeof startBroker>): Promise<RunningBroker> {
  const running = await startBroker(...args);
  started.push(running);
  return running;
}

describe('broker metrics', () => {
  it('counts connections, messages in and out by kind, refusals by reason, and connected clients', async () => {
    const running = await start({ wsPort: 0 });
    const device = await running.connectDevice('ac-0001');
    await running.connectDevice('ac-0002', { url: `ws://127.0.0.1:${running.addresses.wsPort}/mqtt` });
    await refusedLogin(running.connectDevice('fridge-0001', { password: 'wrong' }));
    await device.subscribeAsync('aftercare/ac-0001/commands', { qos: 1 });
    const commands = collect(device);
    await device.publishAsync('aftercare/ac-0001/telemetry', '{"ts":1}', { qos: 1 });
    await device.publishAsync('aftercare/ac-0001/telemetry', '{"ts":2}', { qos: 1 });
    await device.publishAsync('aftercare/ac-0001/events', '{"ts":3}', { qos: 1 });
    await running.broker.publish('aftercare/ac-0001/commands', 'reboot');
    await eventually(() => expect(commands).toHaveLength(1));

    const text = await running.registry.metrics();
    expect(text).toContain('aftercare_broker_connected_clients 2');
    expect(text).toContain('aftercare_broker_connections_total{listener="tcp"} 1');
    expect(text).toContain('aftercare_broker_connections_total{listener="ws"} 1');
    expect(text).toContain('aftercare_broker_messages_in_total{kind="telemetry"} 2');
    expect(text).toContain('aftercare_broker_messages_in_total{kind="events"} 1');
    expect(text).toContain('aftercare_broker_messages_out_total{kind="commands"} 1');
    expect(text).toContain('aftercare_broker_refusals_total{reason="wrong_password"} 1');
    expect(text).toContain('aftercare_broker_refusals_total{reason="forbidden_publish"} 0');

    const cut = closed(device);
    device.publish('aftercare/ac-0002/telemetry', 'x', { qos: 1 });
    await cut;
    expect(
      await metricValue(running.registry, 'aftercare_broker_refusals_total', { reason: 'forbidden_publish' }),
    ).toBe(1);
    await eventually(async () =>
      expect(await metricValue(running.registry, 'aftercare_broker_connected_clients')).toBe(1),
    );
  });

  it('keeps two brokers on two registries apart', async () => {
    const a = await start();
    const b = await start();
    await a.connectDevice('ac-0001');
    expect(await metricValue(a.registry, 'aftercare_broker_connected_clients')).toBe(1);
    expect(await metricValue(b.registry, 'aftercare_broker_connected_clients')).toBe(0);
  });

  it('lets a second broker use the same registry, adding to it rather than failing', async () => {
    const registry = new Registry();
    const first = await start({}, { metrics: registry });
    const second = await start({}, { metrics: registry });
    await first.connectDevice('ac-0001');
    await second.connectDevice('ac-0002');
    expect(await metricValue(registry, 'aftercare_broker_connected_clients')).toBe(2);
    expect(await metricValue(registry, 'aftercare_broker_connections_total', { listener: 'tcp' })).toBe(2);
    await first.stop();
    started.splice(started.indexOf(first), 1);
    expect(await metricValue(registry, 'aftercare_broker_connected_clients')).toBe(1);
  });
});
