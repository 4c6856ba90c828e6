import {
  type DeviceCommand,
  type DeviceEvent,
  deviceCommandSchema,
  type Logger,
  type TelemetrySample,
  topics,
} from '@aftercare/core';
import { connect, ErrorWithReasonCode, type MqttClient } from 'mqtt';
import type { DeviceSimulator } from '../device-simulator.ts';
import { isRefusal } from './connect-failure.ts';

/** Counters shared by every link of a run; the runner reports them as progress. */
export interface LinkCounters {
  connected: number;
  refused: number;
  reconnects: number;
  messagesSent: number;
  messagesAcked: number;
  samplesSent: number;
  eventsSent: number;
  commandsAnswered: number;
  publishErrors: number;
}

export interface LinkOptions {
  mqttUrl: string;
  secret: string;
  qos: 0 | 1;
  keepaliveS: number;
  /** Spread per device so that a broker restart is not followed by 10,000 simultaneous reconnects. */
  reconnectPeriodMs: number;
  logger: Logger;
  onEvent?: ((deviceId: string, event: DeviceEvent) => void) | undefined;
  /** The broker accepted the device. */
  onConnected?: () => void;
  /** The broker refused the device for good (bad credentials, not authorised). */
  onRefused?: (err: Error) => void;
  /** A connection attempt ended before the broker accepted or refused it: `err` is the last error seen. */
  onConnectFailed?: (err: Error | undefined) => void;
}

/** CONNACK codes that no retry will fix: bad credentials, not authorised. */
const permanentRefusals = new Set([2, 4, 5, 134, 135]);

/**
 * One simulated device's MQTT session: its own credentials and client id, a retained `online`
 * status with a last will of `offline`, telemetry and events up, commands down.
 *
 * Sessions are persistent (`clean: false`): a command sent while the device was away is delivered
 * when it returns, as with real devices. QoS 1 messages not yet acknowledged stay in MQTT.js's
 * outgoing store and are resent after a reconnect either way.
 */
export class DeviceLink {
  client: MqttClient | null = null;
  inflight = 0;
  nextTs: number;
  nextPublishAt = 0;
  isConnected = false;
  gaveUp = false;
  private subscribed = false;
  /** The last error of the current connection attempt; cleared when the broker accepts the device. */
  private lastError: Error | undefined;

  constructor(
    readonly sim: DeviceSimulator,
    private readonly options: LinkOptions,
    private readonly counters: LinkCounters,
    firstTs: number,
  ) {
    this.nextTs = firstTs;
  }

  get id(): string {
    return this.sim.spec.id;
  }

  connect(): void {
    const id = this.id;
    const log = this.options.logger;
    const client = connect(this.options.mqttUrl, {
      clientId: id,
      username: id,
      password: this.options.secret,
      clean: false,
      keepalive: this.options.keepaliveS,
      reconnectPeriod: this.options.reconnectPeriodMs,
      connectTimeout: 30_000,
      protocolVersion: 4,
      will: { topic: topics.status(id), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client = client;
    client.on('connect', () => {
      this.isConnected = true;
      this.lastError = undefined;
      this.options.onConnected?.();
      this.counters.connected++;
      client.publish(topics.status(id), 'online', { qos: 1, retain: true });
      if (!this.subscribed) {
        this.subscribed = true;
        client.subscribe(topics.commands(id), { qos: 1 }, (err) => {
          if (err) log.warn({ deviceId: id, err: err.message }, 'subscribing to commands failed');
        });
      }
    });
    client.on('close', () => {
      if (this.isConnected) this.counters.connected--;
      else if (!this.gaveUp && !isRefusal(this.lastError)) this.options.onConnectFailed?.(this.lastError);
      this.isConnected = false;
      this.lastError = undefined;
    });
    client.on('reconnect', () => {
      this.counters.reconnects++;
    });
    client.on('message', (topic, payload) => {
      if (topic === topics.commands(id)) this.answerCommand(payload);
    });
    client.on('error', (err) => {
      this.lastError = err;
      if (err instanceof ErrorWithReasonCode && permanentRefusals.has(err.code)) {
        // MQTT.js stops reconnecting after a refused CONNACK; so do we.
        this.gaveUp = true;
        this.counters.refused++;
        log.warn({ deviceId: id, code: err.code }, `broker refused the device: ${err.message}`);
        this.options.onRefused?.(err);
        return;
      }
      if (err instanceof ErrorWithReasonCode) {
        // Refused for now (server unavailable, rate limited): try again later rather than never.
        setTimeout(() => {
          if (!this.gaveUp && this.client === client) client.reconnect();
        }, this.options.reconnectPeriodMs * 3).unref();
      }
      log.debug({ deviceId: id, err: err.message }, 'mqtt client error');
    });
  }

  publishTelemetry(samples: readonly TelemetrySample[]): void {
    const client = this.client!;
    const payload = JSON.stringify(samples.length === 1 ? samples[0] : samples);
    this.inflight++;
    this.counters.messagesSent++;
    this.counters.samplesSent += samples.length;
    client.publish(topics.telemetry(this.id), payload, { qos: this.options.qos }, (err) => {
      this.inflight--;
      if (err) this.counters.publishErrors++;
      else this.counters.messagesAcked++;
    });
  }

  publishEvent(event: DeviceEvent): void {
    this.inflight++;
    this.counters.eventsSent++;
    this.options.onEvent?.(this.id, event);
    this.client!.publish(topics.events(this.id), JSON.stringify(event), { qos: 1 }, (err) => {
      this.inflight--;
      if (err) this.counters.publishErrors++;
    });
  }

  private answerCommand(payload: Buffer): void {
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      json = undefined;
    }
    const parsed = deviceCommandSchema.safeParse(json);
    let answer: DeviceEvent;
    if (parsed.success) {
      // The device acts at its own present, the time of its last sample, so its telemetry stays in order.
      answer = this.sim.applyCommand(parsed.data as DeviceCommand, this.sim.currentTime);
    } else {
      const commandId = (json as { commandId?: unknown } | undefined)?.commandId;
      this.options.logger.warn({ deviceId: this.id }, 'ignoring a malformed command');
      if (typeof commandId !== 'string' || commandId.length === 0 || commandId.length > 64) return;
      answer = {
        ts: this.sim.currentTime,
        type: 'command_result',
        code: 'invalid_command',
        commandId,
        message: parsed.error.issues[0]?.message.slice(0, 200) ?? 'invalid command',
      };
    }
    this.counters.commandsAnswered++;
    if (this.client && this.isConnected) this.publishEvent(answer);
  }

  /** Says `offline` itself (a clean disconnect sends no will), then waits for in-flight messages. */
  async end(timeoutMs: number): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.gaveUp = true;
    if (this.isConnected) client.publish(topics.status(this.id), 'offline', { qos: 1, retain: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => client.end(true, () => resolve()), timeoutMs);
      client.end(false, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
