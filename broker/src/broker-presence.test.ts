import { afterEach, describe, expect, it } from 'vitest';
import {
  closed,
  collect,
  eventually,
  ingestAccount,
  type RunningBroker,
  startBroker,
} from './test-support.ts';

let running: RunningBroker | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

let readers = 0;
/** What a newcomer subscribing to the device's status topic is told (the retained message). */
async function retainedStatus(
  r: RunningBroker,
  deviceId: string,
): Promise<{ payload: string; retain: boolean }> {
  const reader = await r.connect({
    clientId: `${ingestAccount.username}-${++readers}`,
    username: ingestAccount.username,
    password: ingestAccount.secret,
  });
  const message = new Promise<{ payload: string; retain: boolean }>((resolve) =>
    reader.once('message', (_topic, payload, packet) =>
      resolve({ payload: String(payload), retain: packet.retain }),
    ),
  );
  await reader.subscribeAsync(`aftercare/${deviceId}/status`, { qos: 1 });
  const status = await message;
  await reader.endAsync();
  return status;
}

function presenceLog(r: RunningBroker): string[] {
  const log: string[] = [];
  r.broker.on('deviceOnline', (id) => log.push(`online ${id}`));
  r.broker.on('deviceOffline', (id) => log.push(`offline ${id}`));
  return log;
}

describe('broker presence', () => {
  it('announces a connected device as online, retained, and counts it', async () => {
    running = await startBroker();
    const log = presenceLog(running);
    await running.connectDevice('ac-0001');
    await eventually(() => expect(log).toEqual(['online ac-0001']));
    expect(await retainedStatus(running, 'ac-0001')).toEqual({ payload: 'online', retain: true });
    expect(running.broker.connectedDevices()).toBe(1);
    expect(running.broker.isOnline('ac-0001')).toBe(true);
  });

  it('announces offline, retained, when a device disconnects cleanly', async () => {
    running = await startBroker();
    const log = presenceLog(running);
    const device = await running.connectDevice('ac-0001');
    await device.endAsync();
    await eventually(() => expect(log).toEqual(['online ac-0001', 'offline ac-0001']));
    expect(await retainedStatus(running, 'ac-0001')).toEqual({ payload: 'offline', retain: true });
    expect(running.broker.connectedDevices()).toBe(0);
  });

  it('announces offline when a device vanishes without DISCONNECT and set no will', async () => {
    running = await startBroker();
    const log = presenceLog(running);
    const device = await running.connectDevice('ac-0001');
    device.stream.destroy();
    await eventually(() => expect(log).toEqual(['online ac-0001', 'offline ac-0001']));
    expect(await retainedStatus(running, 'ac-0001')).toEqual({ payload: 'offline', retain: true });
  });

  it("speaks for a vanished device itself: its own will is not published, the broker's offline is", async () => {
    running = await startBroker();
    const watcher = await running.connect({
      clientId: ingestAccount.username,
      username: ingestAccount.username,
      password: ingestAccount.secret,
    });
    await watcher.subscribeAsync('aftercare/ac-0001/status', { qos: 1 });
    const seen = collect(watcher);
    const will = {
      topic: 'aftercare/ac-0001/status',
      payload: Buffer.from('gone'),
      qos: 1 as const,
      retain: true,
    };
    const device = await running.connectDevice('ac-0001', { will });
    await eventually(() => expect(seen.map((m) => m.payload)).toEqual(['online']));
    device.stream.destroy();
    await eventually(() => expect(seen.map((m) => m.payload)).toEqual(['online', 'offline']));
    expect(await retainedStatus(running, 'ac-0001')).toEqual({ payload: 'offline', retain: true });
  });

  it('does not flap to offline when a second connection with the same client id takes over', async () => {
    running = await startBroker();
    const log = presenceLog(running);
    const first = await running.connectDevice('ac-0001');
    const kicked = closed(first);
    const second = await running.connectDevice('ac-0001');
    await kicked;
    expect(second.connected).toBe(true);
    expect(log).toEqual(['online ac-0001']);
    expect(await retainedStatus(running, 'ac-0001')).toEqual({ payload: 'online', retain: true });
    expect(running.broker.connectedDevices()).toBe(1);

    await second.endAsync();
    await eventually(() => expect(log).toEqual(['online ac-0001', 'offline ac-0001']));
  });

  it('tracks each device on its own', async () => {
    running = await startBroker();
    const a = await running.connectDevice('ac-0001');
    await running.connectDevice('ac-0002');
    await eventually(() => expect(running?.broker.connectedDevices()).toBe(2));
    await a.endAsync();
    await eventually(() => expect(running?.broker.connectedDevices()).toBe(1));
    expect(running.broker.isOnline('ac-0002')).toBe(true);
    expect(running.broker.isOnline('ac-0001')).toBe(false);
  });
});
