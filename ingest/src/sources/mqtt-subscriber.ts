import { type Logger, parseTopic, topics } from '@aftercare/core';
import mqtt, { type IClientOptions, type MqttClient, type Packet } from 'mqtt';
import type { Ingest } from '../pipeline/ingest.ts';

export interface MqttSubscriberOptions {
  url: string;
  username?: string;
  password?: string;
  /** Client id; each worker needs its own. */
  clientId: string;
  /** Shared-subscription group; null subscribes plainly (brokers without MQTT 5, such as aedes). */
  shareGroup: string | null;
  /** Messages the broker may have in flight to this worker before it waits for acknowledgements. */
  receiveMaximum?: number;
  ingest: Ingest;
  logger: Logger;
}

export interface MqttSubscriber {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly client: MqttClient;
}

type SendPacket = (
  packet: Packet,
  cb?: (err?: Error) => void,
  cbStorePut?: () => void,
  noStore?: boolean,
) => void;

/**
 * Ingest as an ordinary MQTT client of an external broker (Mosquitto, EMQX), one of several workers
 * sharing the load through `$share/{group}/…`.
 *
 * A PUBACK must mean "durably stored". MQTT.js sends the PUBACK when `handleMessage` calls back,
 * but it also reads no further packet until then, which would allow one write per message. So
 * `handleMessage` calls back at once and the PUBACK itself is held back in `_sendPacket` until the
 * message's batch is written. PUBACKs leave in the order the messages arrived (MQTT 3.1.1 §4.6) and
 * never cross into a newer connection, where the same packet id may name another message; the
 * persistent session makes the broker redeliver what was not acknowledged.
 */
export function createMqttSubscriber(options: MqttSubscriberOptions): MqttSubscriber {
  const logger = options.logger.child({ component: 'ingest-mqtt' });
  // Shared subscriptions need MQTT 5; without them 3.1.1 reaches brokers that speak no 5 (aedes).
  const clientOptions: IClientOptions = {
    clientId: options.clientId,
    clean: false,
    ...(options.shareGroup
      ? {
          protocolVersion: 5 as const,
          properties: { sessionExpiryInterval: 3600, receiveMaximum: options.receiveMaximum ?? 2000 },
        }
      : { protocolVersion: 4 as const }),
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    manualConnect: true,
  };
  if (options.username) clientOptions.username = options.username;
  if (options.password) clientOptions.password = options.password;
  const client = mqtt.connect(options.url, clientOptions);

  interface HeldAck {
    messageId: number;
    generation: number;
    done: Promise<boolean>;
  }
  let generation = 0;
  const held = new Map<number, HeldAck>();
  let ackOrder: HeldAck[] = [];
  const internals = client as unknown as { _sendPacket: SendPacket };
  const send = internals._sendPacket.bind(client);

  internals._sendPacket = (packet, cb, cbStorePut, noStore) => {
    if (packet.cmd === 'puback' && packet.messageId !== undefined && held.has(packet.messageId)) {
      // Let MQTT.js read on; the real PUBACK goes out from releaseAcks once the write is durable.
      cb?.();
      return;
    }
    send(packet, cb, cbStorePut, noStore);
  };

  let releasing = false;
  async function releaseAcks(): Promise<void> {
    if (releasing) return;
    releasing = true;
    try {
      while (ackOrder.length > 0) {
        const queue = ackOrder;
        const entry = queue[0]!;
        const ok = await entry.done;
        // A reconnect while we waited replaced the queue; its entries belong to the new connection.
        if (queue[0] === entry) queue.shift();
        if (held.get(entry.messageId) === entry) held.delete(entry.messageId);
        if (ok && entry.generation === generation && client.connected) {
          const puback = options.shareGroup
            ? { cmd: 'puback', messageId: entry.messageId, reasonCode: 0 }
            : { cmd: 'puback', messageId: entry.messageId };
          send(puback as Packet, undefined, undefined, true);
        }
      }
    } finally {
      releasing = false;
    }
  }

  client.handleMessage = (packet, callback) => {
    if (packet.cmd !== 'publish') return callback();
    const parsed = parseTopic(packet.topic);
    const work = parsed
      ? options.ingest.handle({
          deviceId: parsed.deviceId,
          kind: parsed.kind,
          topic: packet.topic,
          payload: packet.payload as Buffer,
        })
      : Promise.resolve();
    if (packet.qos === 1 && packet.messageId !== undefined) {
      const entry: HeldAck = { messageId: packet.messageId, generation, done: Promise.resolve(false) };
      const done = work.then(
        () => true,
        (err: Error) => {
          // Brokers redeliver an unacknowledged message only on a new connection: without one it
          // would sit unacknowledged for ever, holding one of the broker's in-flight slots.
          if (entry.generation === generation && client.connected) {
            logger.warn(
              { err: err.message, topic: packet.topic },
              'ingest refused a message; reconnecting so the broker redelivers it',
            );
            client.stream?.destroy();
          }
          return false;
        },
      );
      entry.done = done;
      held.set(packet.messageId, entry);
      ackOrder.push(entry);
      void releaseAcks();
    } else {
      work.catch((err: Error) =>
        logger.warn({ err: err.message }, 'QoS 0 message lost: ingest could not take it'),
      );
    }
    callback();
  };

  const filters = [topics.allTelemetry, topics.allEvents, topics.allStatus].map((t) =>
    options.shareGroup ? `$share/${options.shareGroup}/${t}` : t,
  );

  client.on('connect', () => {
    generation++;
    // Acks held for the old connection can never be sent; forget them so new ones are not stuck behind.
    held.clear();
    ackOrder = [];
    logger.info({ url: options.url, filters }, 'connected to broker');
    client.subscribe(filters, { qos: 1 }, (err, granted) => {
      if (err) logger.error({ err }, 'subscribe failed');
      else if (granted?.some((g) => g.qos > 2)) logger.error({ granted }, 'broker refused a subscription');
    });
  });
  client.on('error', (err) => logger.warn({ err: err.message }, 'mqtt error'));
  client.on('offline', () => logger.warn('broker connection lost; reconnecting'));

  return {
    client,
    start: () =>
      new Promise((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        client.once('error', onError);
        client.once('connect', () => {
          client.off('error', onError);
          resolve();
        });
        client.connect();
      }),
    async stop() {
      await options.ingest.flush();
      await releaseAcks();
      await client.endAsync();
    },
  };
}
