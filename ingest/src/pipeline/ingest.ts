import {
  type Logger,
  type ParseResult,
  parseDeviceEvent,
  parseTelemetryPayload,
  type RejectionReason,
  type TelemetryLimits,
  type TopicKind,
  telemetryLimits,
} from '@aftercare/core';
import type { Registry } from 'prom-client';
import type { PresenceTracker } from '../presence.ts';
import type { RejectionLog } from '../rejection-log.ts';
import type { StoredEvent, TelemetryPoint, TelemetryStore } from '../store/telemetry-store.ts';
import { SeqDeduplicator } from './dedupe.ts';
import { createIngestMetrics } from './ingest-metrics.ts';
import { WriteQueue } from './write-queue.ts';

/** Resolves a device's model (the `model` tag); null for a device the registry does not know. */
export interface DeviceDirectory {
  modelOf(deviceId: string): Promise<string | null>;
}

export interface IncomingMessage {
  deviceId: string;
  kind: TopicKind;
  topic: string;
  payload: Uint8Array;
}

export interface IngestOptions {
  store: TelemetryStore;
  directory: DeviceDirectory;
  rejections: RejectionLog;
  presence: PresenceTracker;
  logger: Logger;
  /** Prometheus registry for ingest's counters; none in tests that do not look. */
  registry?: Registry;
  /** Samples per store write (default 5,000). */
  batchSamples?: number;
  /** Samples held unwritten before ingest refuses more (default 200,000). */
  maxPendingSamples?: number;
  writeConcurrency?: number;
  limits?: TelemetryLimits;
  now?: () => number;
  /**
   * Sees every device event once it is stored, e.g. the service recording a `command_result` on its
   * ticket. The device's acknowledgement waits for it; a failure is logged, never redelivered.
   */
  onEvent?: (event: StoredEvent) => Promise<void> | void;
}

export interface Ingest {
  /**
   * Takes one message from the broker. Resolves once what it carries is durable (or was rejected
   * and recorded: garbage is acknowledged so that it is not redelivered forever); rejects when it
   * cannot be taken now (store backlog over its bound, shutting down), and then the sender must not
   * be acknowledged so that it redelivers.
   */
  handle(message: IncomingMessage): Promise<void>;
  flush(): Promise<void>;
  stop(timeoutMs?: number): Promise<void>;
  readonly pendingSamples: number;
  readonly storeUp: boolean;
}

export function createIngest(options: IngestOptions): Ingest {
  const { store, directory, rejections, presence } = options;
  const metrics = options.registry
    ? createIngestMetrics(options.registry, () => telemetry.pending)
    : undefined;
  const logger = options.logger.child({ component: 'ingest' });
  const now = options.now ?? Date.now;
  const limits = options.limits ?? telemetryLimits;
  const dedupe = new SeqDeduplicator();
  const models = new Map<string, { model: string | null; until: number }>();

  // One queue entry per message (not per sample): a promise per sample costs more than the write.
  const telemetry = new WriteQueue<TelemetryPoint[]>({
    write: (batches) => store.write(batches.length === 1 ? batches[0]! : batches.flat()),
    weight: (points) => points.length,
    maxBatch: options.batchSamples ?? 5000,
    maxPending: options.maxPendingSamples ?? 200_000,
    concurrency: options.writeConcurrency ?? (store.kind === 'influx' ? 3 : 1),
    logger,
    onWritten: (_items, weight, ms) => metrics?.written(weight, ms),
    onRetry: () => metrics?.retry(),
    onStoreState: (up) => metrics?.storeUp(up),
    onRejected: (batches, error) => {
      for (const point of batches.flat().slice(0, 20)) {
        reject(
          point.deviceId,
          `aftercare/${point.deviceId}/telemetry`,
          'invalid_schema',
          `store refused: ${error.message}`,
          0,
        );
      }
    },
  });
  const events = new WriteQueue<StoredEvent>({
    write: (batch) => store.writeEvents(batch),
    weight: () => 1,
    maxBatch: 1000,
    maxPending: 20_000,
    concurrency: 1,
    logger,
  });

  function reject(
    deviceId: string | null,
    topic: string,
    reason: RejectionReason,
    detail: string,
    bytes: number,
  ): void {
    rejections.record({ deviceId, topic, reason, detail, bytes });
    metrics?.rejected(reason);
    logger.debug({ deviceId, reason, detail }, 'message rejected');
  }

  /**
   * The parsers never throw by contract; should one ever break it, the message is recorded as
   * rejected rather than refused, because a refused message comes back forever (a poison pill).
   */
  function guardedParse<T>(parse: () => ParseResult<T>): ParseResult<T> {
    try {
      return parse();
    } catch (err) {
      logger.error({ err }, 'parser threw on a device payload; rejecting it');
      return {
        ok: false,
        reason: 'invalid_schema',
        detail: `could not be parsed: ${(err as Error).message}`.slice(0, 200),
      };
    }
  }

  async function modelOf(deviceId: string): Promise<string | null> {
    const cached = models.get(deviceId);
    const at = now();
    if (cached && cached.until > at) return cached.model;
    const model = await directory.modelOf(deviceId);
    // Known devices stay cached; unknown ones are re-asked soon, since they may be provisioned any time.
    models.set(deviceId, { model, until: at + (model ? 3_600_000 : 10_000) });
    if (models.size > 500_000) models.delete(models.keys().next().value!);
    return model;
  }

  /** Parses a message and resolves its device's model; null (and recorded) when either fails. */
  async function admit<T>(
    message: IncomingMessage,
    parse: () => ParseResult<T>,
  ): Promise<{ value: T; model: string } | null> {
    const bytes = message.payload.byteLength;
    const parsed = guardedParse(parse);
    if (!parsed.ok) {
      reject(message.deviceId, message.topic, parsed.reason, parsed.detail, bytes);
      return null;
    }
    const model = await modelOf(message.deviceId);
    if (!model) {
      reject(message.deviceId, message.topic, 'unknown_device', 'device is not provisioned', bytes);
      return null;
    }
    return { value: parsed.value, model };
  }

  async function handleTelemetry(message: IncomingMessage): Promise<void> {
    const received = now();
    const admitted = await admit(message, () => parseTelemetryPayload(message.payload, received, limits));
    if (!admitted) return;
    const { value: samples, model } = admitted;
    presence.touch(message.deviceId, received);
    const waits: Promise<void>[] = [];
    const fresh: TelemetryPoint[] = [];
    const seqs: { seq: number; ts: number }[] = [];
    for (const sample of samples) {
      if (sample.seq !== undefined) {
        const earlier = dedupe.seen(message.deviceId, sample.seq, sample.ts);
        if (earlier) {
          metrics?.duplicate();
          waits.push(earlier);
          continue;
        }
        seqs.push({ seq: sample.seq, ts: sample.ts });
      }
      fresh.push({ deviceId: message.deviceId, model, ts: sample.ts, metrics: sample.metrics });
    }
    if (fresh.length > 0) {
      const written = telemetry.enqueue(fresh);
      for (const { seq, ts } of seqs) dedupe.remember(message.deviceId, seq, ts, written);
      if (seqs.length > 0) {
        written.catch(() => {
          for (const { seq, ts } of seqs) dedupe.forget(message.deviceId, seq, ts);
        });
      }
      waits.push(written);
    }
    metrics?.received('telemetry', samples.length);
    if (waits.length === 1) await waits[0];
    else await Promise.all(waits);
  }

  async function handleEvent(message: IncomingMessage): Promise<void> {
    const admitted = await admit(message, () => parseDeviceEvent(message.payload, now()));
    if (!admitted) return;
    metrics?.received('events', 1);
    const event: StoredEvent = { ...admitted.value, deviceId: message.deviceId, model: admitted.model };
    await events.enqueue(event);
    // Before the PUBACK, so an acknowledged answer is on its ticket; a consumer's failure is only
    // logged: the event is stored, and redelivering it could not make the consumer succeed.
    try {
      await options.onEvent?.(event);
    } catch (err) {
      logger.warn({ err, deviceId: event.deviceId }, 'event consumer failed');
    }
  }

  function handleStatus(message: IncomingMessage): void {
    if (!presence.applyStatus(message.deviceId, message.payload, now())) {
      reject(
        message.deviceId,
        message.topic,
        'invalid_schema',
        'status must be "online" or "offline"',
        message.payload.byteLength,
      );
    }
  }

  return {
    async handle(message) {
      switch (message.kind) {
        case 'telemetry':
          return handleTelemetry(message);
        case 'events':
          return handleEvent(message);
        case 'status':
          return handleStatus(message);
        default:
          return reject(
            message.deviceId,
            message.topic,
            'forbidden_topic',
            `devices do not publish ${message.kind}`,
            0,
          );
      }
    },
    async flush() {
      await Promise.all([telemetry.drain(), events.drain()]);
    },
    async stop(timeoutMs = 10_000) {
      await Promise.all([telemetry.stop(timeoutMs), events.stop(timeoutMs)]);
    },
    get pendingSamples() {
      return telemetry.pending;
    },
    get storeUp() {
      return telemetry.isStoreUp;
    },
  };
}
