import { setTimeout as sleep, setImmediate as yieldToIo } from 'node:timers/promises';
import { type DeviceModel, type Logger, silentLogger, topics } from '@aftercare/core';
import { connect, ErrorWithReasonCode, type MqttClient } from 'mqtt';
import { DeviceSimulator } from '../device-simulator.ts';
import { fleetSpecs } from '../fleet.ts';
import { HOUR_MS } from '../region.ts';
import { describeConnectFailure, type FleetFailure, isRefusal } from './connect-failure.ts';

export interface LoadDevice {
  id: string;
  secret: string;
  /** Shapes the metrics of its samples; default split-ac. */
  model?: DeviceModel;
}

export interface RunLoadOptions {
  mqttUrl: string;
  devices: readonly LoadDevice[];
  /** Samples per second over the whole fleet. Neither rate: as fast as the in-flight window allows. */
  totalRate?: number;
  ratePerDevice?: number;
  /** Stop after this long… */
  durationS?: number;
  /** …or after this many samples, whichever comes first. Neither: 10 s. */
  count?: number;
  qos?: 0 | 1;
  samplesPerMessage?: number;
  connectRatePerS?: number;
  connectTimeoutMs?: number;
  /** Unacknowledged messages per device before it waits. Default 64. */
  maxInflightPerDevice?: number;
  /** How long to wait for outstanding acknowledgements at the end. Default 30 s. */
  drainTimeoutMs?: number;
  /** Ends the publishing early (Ctrl-C); the report covers what was sent until then. */
  signal?: AbortSignal;
  logger?: Logger;
  onProgress?: (progress: LoadProgress) => void;
  /** Every acknowledged message: the sample timestamps inside are the publish time. */
  onAck?: (ack: {
    deviceId: string;
    seq: number;
    publishedAt: number;
    ackedAt: number;
    samples: number;
  }) => void;
}

export interface LoadProgress {
  devices: number;
  connected: number;
  messagesSent: number;
  messagesAcked: number;
  samplesSent: number;
  samplesAcked: number;
  publishErrors: number;
}

export interface LoadReport extends LoadProgress {
  qos: 0 | 1;
  samplesPerMessage: number;
  targetRate: number | null;
  startedAt: number;
  /** When the last sample was published. */
  publishedUntil: number;
  /** When the last acknowledgement arrived (or the drain gave up). */
  endedAt: number;
  samplesPerS: number;
  messagesPerS: number;
  /** Publish to PUBACK (QoS 1) or to socket write (QoS 0), over a bounded reservoir of messages. */
  ackLatencyMs: { p50: number; p99: number; max: number } | null;
  /**
   * Why no device connected, when none did: the broker could not be reached, or it refused them all.
   * Nothing is published then, and the report comes back at once rather than after the connect timeout.
   */
  failure?: FleetFailure;
}

interface LoadLink {
  id: string;
  client: MqttClient;
  connected: boolean;
  inflight: number;
  seq: number;
  lastTs: number;
  pool: readonly Record<string, number>[];
  cursor: number;
}

const reservoirSize = 100_000;

/** Realistic metric sets per model, cycled through, so the load has the shape of real telemetry without simulating it. */
function samplePools(models: Iterable<DeviceModel>): Map<DeviceModel, Record<string, number>[]> {
  const pools = new Map<DeviceModel, Record<string, number>[]>();
  const start = Date.UTC(2025, 0, 1);
  for (const model of models) {
    const [spec] = fleetSpecs({ seed: 7, devices: 1, models: { [model]: 1 }, start, failureRate: 0 });
    const sim = new DeviceSimulator(spec!, start);
    const pool: Record<string, number>[] = [];
    for (let i = 1; i <= 48; i++) pool.push(sim.step(start + i * HOUR_MS, HOUR_MS).sample.metrics);
    pools.set(model, pool);
  }
  return pools;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Publishes load as fast as the target rate allows and reports what the broker acknowledged. */
export async function runLoad(options: RunLoadOptions): Promise<LoadReport> {
  const logger = (options.logger ?? silentLogger).child({ component: 'device-sim-load' });
  const qos = options.qos ?? 1;
  const perMessage = Math.max(1, Math.floor(options.samplesPerMessage ?? 1));
  const maxInflight = options.maxInflightPerDevice ?? 64;
  const pools = samplePools(new Set(options.devices.map((d) => d.model ?? 'split-ac')));
  const progress: LoadProgress = {
    devices: options.devices.length,
    connected: 0,
    messagesSent: 0,
    messagesAcked: 0,
    samplesSent: 0,
    samplesAcked: 0,
    publishErrors: 0,
  };
  const latencies: number[] = [];
  let latencySeen = 0;
  // Seqs continue from the wall clock, so a second run is never mistaken for redeliveries of the first.
  const seqBase = Date.now() * 1000;

  const links: LoadLink[] = [];
  let connectedOnce = false;
  let refused = 0;
  // Set from the clients' events; typed wide so the checks below are not narrowed away.
  let failure = undefined as FleetFailure | undefined;
  // Connect in small groups every 10 ms: timers are too coarse to space single connects at high rates.
  const perGroup = Math.max(1, Math.round((options.connectRatePerS ?? 500) / 100));
  for (const device of options.devices) {
    const client = connect(options.mqttUrl, {
      clientId: device.id,
      username: device.id,
      password: device.secret,
      clean: true,
      keepalive: 60,
      reconnectPeriod: 2000,
      connectTimeout: 30_000,
    });
    const link: LoadLink = {
      id: device.id,
      client,
      connected: false,
      inflight: 0,
      seq: seqBase,
      lastTs: 0,
      pool: pools.get(device.model ?? 'split-ac')!,
      cursor: links.length,
    };
    let lastError: Error | undefined;
    let refusedOnce = false;
    client.on('connect', () => {
      link.connected = true;
      connectedOnce = true;
      lastError = undefined;
      progress.connected++;
    });
    client.on('close', () => {
      if (link.connected) progress.connected--;
      else if (!connectedOnce && !isRefusal(lastError))
        failure ??= { kind: 'unreachable', reason: describeConnectFailure(lastError) };
      link.connected = false;
      lastError = undefined;
    });
    client.on('error', (err) => {
      lastError = err;
      // MQTT.js does not retry a refused login; a fleet refused whole will never connect.
      if (err instanceof ErrorWithReasonCode && !refusedOnce) {
        refusedOnce = true;
        if (++refused >= options.devices.length && !connectedOnce)
          failure ??= { kind: 'refused', reason: err.message };
      }
      logger.debug({ deviceId: device.id, err: err.message }, 'load client error');
    });
    links.push(link);
    if (links.length % perGroup === 0) await sleep(10);
    // No broker there: the other devices would only fail the same way.
    if (failure) break;
  }
  const connectDeadline = Date.now() + (options.connectTimeoutMs ?? 60_000);
  // A refused device never connects (MQTT.js does not retry a refused login): no use waiting for it.
  while (
    progress.connected + refused < links.length &&
    !failure &&
    Date.now() < connectDeadline &&
    !options.signal?.aborted
  )
    await sleep(20);
  if (progress.connected > 0 && progress.connected < links.length) {
    logger.warn(
      { connected: progress.connected, devices: links.length },
      'not every load device connected; going on',
    );
  }

  const connectedAtStart = progress.connected;
  const rate = options.totalRate ?? (options.ratePerDevice ? options.ratePerDevice * links.length : 0);
  const durationMs =
    connectedAtStart === 0
      ? 0
      : options.durationS !== undefined
        ? options.durationS * 1000
        : options.count
          ? Infinity
          : 10_000;
  const count = options.count ?? Infinity;
  const startedAt = Date.now();
  const t0 = performance.now();
  let lastProgress = 0;
  let cursor = 0;

  const publish = (link: LoadLink) => {
    const samples = [];
    const now = Date.now();
    for (let i = 0; i < perMessage; i++) {
      // Distinct, increasing timestamps per device: the store keys samples by device and time.
      const ts = Math.max(now, link.lastTs + 1);
      link.lastTs = ts;
      samples.push({ ts, seq: link.seq++, metrics: link.pool[link.cursor++ % link.pool.length]! });
    }
    const seq = link.seq - 1;
    const sentAt = performance.now();
    link.inflight++;
    progress.messagesSent++;
    progress.samplesSent += perMessage;
    const payload = JSON.stringify(perMessage === 1 ? samples[0] : samples);
    link.client.publish(topics.telemetry(link.id), payload, { qos }, (err) => {
      link.inflight--;
      if (err) {
        progress.publishErrors++;
        return;
      }
      const latency = performance.now() - sentAt;
      progress.messagesAcked++;
      progress.samplesAcked += perMessage;
      latencySeen++;
      if (latencies.length < reservoirSize) latencies.push(latency);
      else {
        const slot = Math.floor(Math.random() * latencySeen);
        if (slot < reservoirSize) latencies[slot] = latency;
      }
      options.onAck?.({ deviceId: link.id, seq, publishedAt: now, ackedAt: Date.now(), samples: perMessage });
    });
  };

  let publishedUntil = startedAt;
  for (;;) {
    const elapsed = performance.now() - t0;
    if (elapsed >= durationMs || progress.samplesSent >= count || options.signal?.aborted) break;
    let allowed =
      rate > 0 ? Math.floor((rate * elapsed) / 1000) - progress.samplesSent : Number.POSITIVE_INFINITY;
    allowed = Math.min(allowed, count - progress.samplesSent);
    let sent = 0;
    for (
      let scanned = 0;
      scanned < links.length && allowed >= Math.min(perMessage, count - progress.samplesSent);
      scanned++
    ) {
      const link = links[cursor]!;
      cursor = (cursor + 1) % links.length;
      if (!link.connected || link.inflight >= maxInflight) continue;
      publish(link);
      allowed -= perMessage;
      sent++;
      // Let acknowledgements in now and then; a tight loop would only fill socket buffers.
      if (sent >= 256) break;
    }
    if (sent > 0) publishedUntil = Date.now();
    if (options.onProgress && Date.now() - lastProgress >= 1000) {
      lastProgress = Date.now();
      options.onProgress({ ...progress });
    }
    if (sent === 0) await sleep(1);
    else await yieldToIo();
  }

  const drainDeadline = Date.now() + (options.drainTimeoutMs ?? 30_000);
  while (links.some((l) => l.inflight > 0) && Date.now() < drainDeadline) await sleep(10);
  const endedAt = Date.now();
  await Promise.all(
    links.map(
      (link) =>
        new Promise<void>((resolve) => {
          link.client.end(true, () => resolve());
        }),
    ),
  );
  options.onProgress?.({ ...progress });

  const seconds = Math.max(0.001, (endedAt - startedAt) / 1000);
  latencies.sort((a, b) => a - b);
  return {
    ...progress,
    // The devices that took part; by now every connection has been closed.
    connected: connectedAtStart,
    qos,
    samplesPerMessage: perMessage,
    targetRate: rate > 0 ? rate : null,
    startedAt,
    publishedUntil,
    endedAt,
    samplesPerS: progress.samplesAcked / seconds,
    messagesPerS: progress.messagesAcked / seconds,
    ...(connectedAtStart === 0 && failure ? { failure } : {}),
    ackLatencyMs:
      latencies.length === 0
        ? null
        : {
            p50: percentile(latencies, 0.5),
            p99: percentile(latencies, 0.99),
            max: latencies[latencies.length - 1]!,
          },
  };
}
