import { hashSecret, type Logger, silentLogger } from '@aftercare/core';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { Registry } from 'prom-client';
import { buildBroker } from './broker.ts';
import type { Broker, BrokerDeps, BrokerOptions, Refusal } from './broker-api.ts';
import type { BrokerAddresses } from './listeners.ts';
import type { DeviceCredentials, ServiceAccount } from './ports.ts';

/** A device registry in memory, holding real scrypt hashes like the service's does. */
export class MemoryCredentials implements DeviceCredentials {
  private readonly hashes = new Map<string, string>();
  lookups = 0;

  static async of(devices: Record<string, string>): Promise<MemoryCredentials> {
    const credentials = new MemoryCredentials();
    for (const [id, secret] of Object.entries(devices)) await credentials.provision(id, secret);
    return credentials;
  }

  async provision(deviceId: string, secret: string): Promise<void> {
    this.hashes.set(deviceId, await hashSecret(secret));
  }

  remove(deviceId: string): void {
    this.hashes.delete(deviceId);
  }

  async lookupSecretHash(deviceId: string): Promise<string | null> {
    this.lookups++;
    return this.hashes.get(deviceId) ?? null;
  }
}

export const ingestAccount = { username: 'aftercare-ingest', secret: 'ingest-secret-for-tests' };
export const serviceAccount = { username: 'aftercare-service', secret: 'service-secret-for-tests' };

export async function testServiceAccounts(): Promise<ServiceAccount[]> {
  return [
    { username: ingestAccount.username, secretHash: await hashSecret(ingestAccount.secret), role: 'ingest' },
    {
      username: serviceAccount.username,
      secretHash: await hashSecret(serviceAccount.secret),
      role: 'service',
    },
  ];
}

export interface RunningBroker {
  broker: Broker;
  addresses: BrokerAddresses;
  registry: Registry;
  credentials: MemoryCredentials;
  refusals: Refusal[];
  url: string;
  /** Connects an MQTT.js client; stopped with the broker. */
  connect(options: IClientOptions & { url?: string }): Promise<MqttClient>;
  /** Connects as a provisioned device with its own credentials. */
  connectDevice(deviceId: string, options?: IClientOptions & { url?: string }): Promise<MqttClient>;
  stop(): Promise<void>;
}

export const devices: Record<string, string> = {
  'ac-0001': 'secret-of-ac-0001',
  'ac-0002': 'secret-of-ac-0002',
  'fridge-0001': 'secret-of-fridge-0001',
};

export async function startBroker(
  options: Partial<BrokerOptions> = {},
  deps: Partial<BrokerDeps> & { logger?: Logger } = {},
): Promise<RunningBroker> {
  const registry = deps.metrics ?? new Registry();
  const credentials =
    (deps.credentials as MemoryCredentials | undefined) ?? (await MemoryCredentials.of(devices));
  const broker = buildBroker(
    {
      host: '127.0.0.1',
      tcpPort: 0,
      wsPort: null,
      mqttsPort: null,
      wssPort: null,
      msgsPerSecond: 1000,
      connectsPerMinute: 1000,
      ...options,
    },
    {
      logger: silentLogger,
      serviceAccounts: await testServiceAccounts(),
      ...deps,
      metrics: registry,
      credentials,
    },
  );
  const refusals: Refusal[] = [];
  broker.on('refused', (refusal) => refusals.push(refusal));
  const addresses = await broker.start();
  const url = `mqtt://127.0.0.1:${addresses.tcpPort}`;
  const clients: MqttClient[] = [];

  const connect = async ({ url: target, ...options }: IClientOptions & { url?: string }) => {
    const client = await connectAsync(
      target ?? url,
      { reconnectPeriod: 0, connectTimeout: 5000, ...options },
      false,
    );
    clients.push(client);
    return client;
  };
  return {
    broker,
    addresses,
    registry,
    credentials,
    refusals,
    url,
    connect,
    connectDevice: (deviceId, options = {}) =>
      connect({ clientId: deviceId, username: deviceId, password: devices[deviceId], ...options }),
    stop: async () => {
      await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
      await broker.stop();
    },
  };
}

/** Polls until the check passes or the deadline does; never a fixed sleep. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves with the error a connect attempt was refused with. */
export async function refusedLogin(attempt: Promise<unknown>): Promise<Error & { code?: number }> {
  try {
    await attempt;
  } catch (err) {
    return err as Error & { code?: number };
  }
  throw new Error('the login was accepted');
}

/** A metric sample's value from the registry, 0 when it is absent. */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const sample = metric?.values.find((v) =>
    Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want),
  );
  return sample ? Number(sample.value) : 0;
}

/** Messages a client receives, in order. */
export function collect(client: MqttClient): Array<{ topic: string; payload: string; retain: boolean }> {
  const received: Array<{ topic: string; payload: string; retain: boolean }> = [];
  client.on('message', (topic, payload, packet) =>
    received.push({ topic, payload: payload.toString(), retain: packet.retain }),
  );
  return received;
}

export function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    if (client.disconnected || !client.connected) return resolve();
    client.once('close', () => resolve());
  });
}

/** The SUBACK return codes for a subscription, including refused ones (MQTT.js rejects on any 0x80). */
export async function subscribeCodes(client: MqttClient, filters: string[]): Promise<number[]> {
  try {
    return (await client.subscribeAsync(filters, { qos: 1 })).map((g) => g.qos);
  } catch (err) {
    const granted = (err as { packet?: { granted?: Array<number | { qos: number }> } }).packet?.granted;
    if (!granted) throw err;
    return granted.map((g) => (typeof g === 'number' ? g : g.qos));
  }
}
