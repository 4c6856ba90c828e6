import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@aftercare/core';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildBroker } from './broker.ts';
import type { InterceptedPublish } from './ports.ts';
import {
  closed,
  collect,
  devices,
  eventually,
  MemoryCredentials,
  type RunningBroker,
  startBroker,
} from './test-support.ts';

let running: RunningBroker | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

let certDir: string;
let tls: { cert: string; key: string };
beforeAll(() => {
  certDir = mkdtempSync(join(tmpdir(), 'aftercare-broker-tls-'));
  const [cert, key] = [join(certDir, 'cert.pem'), join(certDir, 'key.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  tls = { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
});
afterAll(() => rmSync(certDir, { recursive: true, force: true }));

/** A device's whole round trip on one transport: login, telemetry up, a command down. */
async function roundTrip(r: RunningBroker, url: string, extra: Record<string, unknown> = {}) {
  const device = await r.connectDevice('ac-0001', { url, ...extra });
  await device.subscribeAsync('aftercare/ac-0001/commands', { qos: 1 });
  const commands = collect(device);
  await device.publishAsync('aftercare/ac-0001/telemetry', '{"ts":1}', { qos: 1 });
  await r.broker.publish('aftercare/ac-0001/commands', 'ping');
  await eventually(() => expect(commands.map((c) => c.payload)).toEqual(['ping']));
  await device.endAsync();
}

/** Handles that would keep the process alive after the broker is gone. */
function handles(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap' || r === 'Timeout')
    .sort();
}

/**
 * The handles of this process once earlier tests' sockets have finished closing (libuv releases a
 * closed handle a loop turn after its 'close' event).
 */
async function settledHandles(): Promise<string[]> {
  await eventually(() => expect(handles().filter((h) => h !== 'Timeout')).toEqual([]));
  return handles();
}

describe('broker listeners', () => {
  it('serves browsers over WebSocket on /mqtt', async () => {
    running = await startBroker({ wsPort: 0 });
    expect(running.addresses.wsPort).toBeGreaterThan(0);
    await roundTrip(running, `ws://127.0.0.1:${running.addresses.wsPort}/mqtt`);
  });

  it('serves MQTTS and WSS with the given certificate when TLS is configured', async () => {
    running = await startBroker({ mqttsPort: 0, wssPort: 0, tls });
    const { mqttsPort, wssPort } = running.addresses;
    expect(mqttsPort).toBeGreaterThan(0);
    expect(wssPort).toBeGreaterThan(0);
    await roundTrip(running, `mqtts://127.0.0.1:${mqttsPort}`, { ca: tls.cert });
    await roundTrip(running, `wss://127.0.0.1:${wssPort}/mqtt`, { ca: tls.cert });
  });

  it('opens no TLS listener without a certificate, whatever the ports say', async () => {
    running = await startBroker({ mqttsPort: 0, wssPort: 0 });
    expect(running.addresses).toMatchObject({ mqttsPort: null, wssPort: null });
  });

  it('takes PEM text, not file paths, and says so at build time', async () => {
    const build = () =>
      buildBroker(
        {
          host: '127.0.0.1',
          tcpPort: 0,
          wsPort: null,
          mqttsPort: 0,
          wssPort: null,
          tls: { cert: '/etc/aftercare/cert.pem', key: '/etc/aftercare/key.pem' },
          msgsPerSecond: 10,
          connectsPerMinute: 10,
        },
        { logger: silentLogger, metrics: new Registry(), credentials: new MemoryCredentials() },
      );
    expect(build).toThrow(/tls\.cert must be PEM text/);
  });

  it('cuts off a packet over the size limit before it is buffered, on every transport', async () => {
    const seen: InterceptedPublish[] = [];
    running = await startBroker(
      { wsPort: 0, maxPacketBytes: 64 * 1024 },
      { interceptor: async (m) => void seen.push(m) },
    );
    for (const url of [running.url, `ws://127.0.0.1:${running.addresses.wsPort}/mqtt`]) {
      const device = await running.connectDevice('ac-0001', { url });
      await device.publishAsync('aftercare/ac-0001/telemetry', Buffer.alloc(60 * 1024), { qos: 1 });
      const cut = closed(device);
      device.publish('aftercare/ac-0001/telemetry', Buffer.alloc(100 * 1024), { qos: 1 });
      await cut;
    }
    expect(seen.map((m) => m.payload.length)).toEqual([60 * 1024, 60 * 1024]);
    expect(running.refusals.map((r) => r.reason)).toEqual(['packet_too_large', 'packet_too_large']);
  });

  it('stops cleanly: clients are disconnected, devices announced offline, nothing left open', async () => {
    const before = await settledHandles();
    const credentials = await MemoryCredentials.of(devices);
    const broker = buildBroker(
      {
        host: '127.0.0.1',
        tcpPort: 0,
        wsPort: 0,
        mqttsPort: 0,
        wssPort: 0,
        tls,
        msgsPerSecond: 10,
        connectsPerMinute: 10,
      },
      { logger: silentLogger, metrics: new Registry(), credentials },
    );
    const offline: string[] = [];
    broker.on('deviceOffline', (id) => offline.push(id));
    const { tcpPort, wsPort } = await broker.start();
    const { connectAsync } = await import('mqtt');
    const tcp = await connectAsync(`mqtt://127.0.0.1:${tcpPort}`, {
      clientId: 'ac-0001',
      username: 'ac-0001',
      password: devices['ac-0001'],
      reconnectPeriod: 0,
    });
    const ws = await connectAsync(`ws://127.0.0.1:${wsPort}/mqtt`, {
      clientId: 'ac-0002',
      username: 'ac-0002',
      password: devices['ac-0002'],
      reconnectPeriod: 0,
    });
    // A socket that never sends CONNECT is not an aedes client yet; stop() must cut it too.
    const { connect } = await import('node:net');
    const silent = connect(tcpPort!, '127.0.0.1');
    await once(silent, 'connect');

    await broker.stop();
    await Promise.all([closed(tcp), closed(ws), once(silent, 'close')]);
    expect(offline.sort()).toEqual(['ac-0001', 'ac-0002']);
    await tcp.endAsync(true);
    await ws.endAsync(true);
    // Timers of other code may end meanwhile, so timers may only have become fewer, sockets must match.
    const timers = (list: string[]) => list.filter((h) => h === 'Timeout').length;
    await eventually(() => {
      const now = handles();
      expect(now.filter((h) => h !== 'Timeout')).toEqual(before.filter((h) => h !== 'Timeout'));
      expect(timers(now)).toBeLessThanOrEqual(timers(before));
    });
  });

  it('fails to start on a taken port without leaving other listeners open', async () => {
    const before = await settledHandles();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as { port: number }).port;
    const broker = buildBroker(
      {
        host: '127.0.0.1',
        tcpPort: 0,
        wsPort: taken,
        mqttsPort: null,
        wssPort: null,
        msgsPerSecond: 10,
        connectsPerMinute: 10,
      },
      { logger: silentLogger, metrics: new Registry(), credentials: new MemoryCredentials() },
    );
    await expect(broker.start()).rejects.toThrow(/EADDRINUSE/);
    await new Promise((resolve) => squatter.close(resolve));
    // Timers of other code may end meanwhile, so timers may only have become fewer, sockets must match.
    const timers = (list: string[]) => list.filter((h) => h === 'Timeout').length;
    await eventually(() => {
      const now = handles();
      expect(now.filter((h) => h !== 'Timeout')).toEqual(before.filter((h) => h !== 'Timeout'));
      expect(timers(now)).toBeLessThanOrEqual(timers(before));
    });
  });
});
