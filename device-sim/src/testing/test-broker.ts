import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
/*
 * TEMPORARY path: aedes is not a devDependency of @aftercare/device-sim, so the tests borrow the
 * broker package's copy. Once `aedes` is listed in device-sim's devDependencies this becomes
 * `from 'aedes'` and nothing else changes.
 */
import { Aedes, type Client } from 'aedes';
import { connectAsync, type MqttClient } from 'mqtt';

/** A real aedes broker on a free port that checks device credentials the way the platform does. */
export interface TestBroker {
  url: string;
  /** Logins that succeeded: username and client id, in order. */
  logins: { username: string; clientId: string }[];
  /** While true, telemetry is neither acknowledged nor routed: the devices' QoS 1 messages stay in flight. */
  holdTelemetry: boolean;
  /** Payloads of the telemetry messages held so far. */
  held: Buffer[];
  /** Cuts every client's connection, as a broker crash or a network cut would. */
  dropClients(): void;
  close(): Promise<void>;
}

export const observerCredentials = { username: 'observer', password: 'observer-secret' };

export async function startTestBroker(secrets: ReadonlyMap<string, string>): Promise<TestBroker> {
  const clients = new Set<Client>();
  const state: TestBroker = {
    url: '',
    logins: [],
    holdTelemetry: false,
    held: [],
    dropClients: () => {
      for (const client of clients) client.conn.destroy();
    },
    close: async () => {},
  };
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const expected =
        username === observerCredentials.username
          ? observerCredentials.password
          : secrets.get(username ?? '');
      const ok =
        expected !== undefined &&
        password?.toString() === expected &&
        (username === observerCredentials.username || client.id === username);
      if (ok) state.logins.push({ username: username!, clientId: client.id });
      done(ok ? null : Object.assign(new Error('bad credentials'), { returnCode: 4 as const }), ok);
    },
    authorizePublish: (client, packet, callback) => {
      if (state.holdTelemetry && client && packet.topic.endsWith('/telemetry')) {
        // Never answered: aedes then neither routes the message nor sends its PUBACK.
        state.held.push(Buffer.from(packet.payload));
        return;
      }
      callback(null);
    },
  });
  broker.on('client', (client) => clients.add(client));
  broker.on('clientDisconnect', (client) => clients.delete(client));
  const server = createServer(broker.handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  state.url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = async () => {
    state.dropClients();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => broker.close(() => resolve()));
  };
  return state;
}

export interface Observed {
  topic: string;
  payload: Buffer;
  retain: boolean;
}

/** A platform-side client that records everything devices publish. */
export async function observe(
  url: string,
  filters: string[],
): Promise<{ client: MqttClient; messages: Observed[] }> {
  const client = await connectAsync(url, {
    ...observerCredentials,
    clientId: `observer-${process.pid}`,
    reconnectPeriod: 200,
  });
  const messages: Observed[] = [];
  client.on('message', (topic, payload, packet) => messages.push({ topic, payload, retain: packet.retain }));
  await client.subscribeAsync(filters, { qos: 1 });
  return { client, messages };
}

/** Polls until `check` gives a value, or fails after the deadline, saying what it waited for. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}
