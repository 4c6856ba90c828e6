import { type Logger, parseTopic, topics } from '@aftercare/core';
import mqtt, { type MqttClient } from 'mqtt';
import type { PresenceTracker } from '../presence.ts';

export interface StatusSubscriberOptions {
  url: string;
  username?: string;
  password?: string;
  clientId: string;
  presence: PresenceTracker;
  logger: Logger;
}

/**
 * Keeps presence for a process that runs without ingest (the API alone): every instance needs every
 * device's status, so this is a plain, non-shared subscription; the broker's retained statuses give
 * the current state at once and on every reconnect.
 */
export async function startStatusSubscriber(
  options: StatusSubscriberOptions,
): Promise<{ client: MqttClient; stop(): Promise<void> }> {
  const logger = options.logger.child({ component: 'status-subscriber' });
  const client = await mqtt.connectAsync(options.url, {
    clientId: options.clientId,
    clean: true,
    reconnectPeriod: 1000,
    ...(options.username ? { username: options.username } : {}),
    ...(options.password ? { password: options.password } : {}),
  });
  client.on('message', (topic, payload) => {
    const parsed = parseTopic(topic);
    if (parsed?.kind !== 'status') return;
    options.presence.applyStatus(parsed.deviceId, payload);
  });
  client.on('connect', () => {
    client.subscribe(
      topics.allStatus,
      { qos: 1 },
      (err) => err && logger.warn({ err }, 'status subscription failed'),
    );
  });
  client.on('error', (err) => logger.warn({ err: err.message }, 'mqtt error'));
  await client.subscribeAsync(topics.allStatus, { qos: 1 });
  return { client, stop: () => client.endAsync() };
}
