import {
  type DeviceEvent,
  type Logger,
  mixSeed,
  Rng,
  silentLogger,
  type TelemetrySample,
} from '@aftercare/core';
import { DeviceSimulator } from '../device-simulator.ts';
import type { DeviceSpec, GroundTruthRecord, RepairOutcome } from '../device-spec.ts';
import { SimError } from '../errors.ts';
import { firstSampleAt } from '../history.ts';
import { VirtualClock } from '../virtual-clock.ts';
import { describeConnectFailure, type FleetFailure } from './connect-failure.ts';
import { DeviceLink, type LinkCounters } from './device-link.ts';

export type { FleetFailure } from './connect-failure.ts';

export interface SimulatedDeviceCredentials {
  spec: DeviceSpec;
  secret: string;
}

export interface RunFleetOptions {
  mqttUrl: string;
  devices: readonly SimulatedDeviceCredentials[];
  /** Virtual seconds per real second. Default 1. */
  speed?: number;
  /** Virtual time between samples. Default 60 s. */
  intervalMs?: number;
  qos?: 0 | 1;
  /** Virtual start, epoch ms. Default now. */
  start?: number;
  /** Keep virtual time from passing the wall clock (the platform refuses future samples). Default true. */
  capAtNow?: boolean;
  /** New connections per second, so a large fleet does not storm the broker. Default 100. */
  connectRatePerS?: number;
  /** Samples per telemetry message at most; a device behind schedule catches up in such batches. Default 100. */
  maxSamplesPerMessage?: number;
  /** Real time between one device's telemetry messages at least. Default 1000 ms. */
  minPublishSpacingMs?: number;
  /** Unacknowledged messages per device before it waits (backpressure). Default 20. */
  maxInflightPerDevice?: number;
  autoRepair?: boolean;
  keepaliveS?: number;
  logger?: Logger;
  onProgress?: (progress: FleetProgress) => void;
  progressEveryMs?: number;
  onGroundTruth?: (record: GroundTruthRecord) => void;
  onEvent?: (deviceId: string, event: DeviceEvent) => void;
}

export interface FleetProgress extends LinkCounters {
  devices: number;
  failuresInjected: number;
  virtualTime: number;
}

export interface FleetRun {
  progress(): FleetProgress;
  virtualNow(): number;
  simulator(deviceId: string): DeviceSimulator;
  /**
   * A technician's repair at `at` (default, and at the earliest, the device's present: the time of
   * its last sample), of every developing or failed mode or only those listed.
   */
  repair(deviceId: string, at?: number, options?: { failureModes?: readonly string[] }): RepairOutcome;
  stop(): Promise<void>;
  /**
   * Settles, with the reason, when the run can send nothing at all: the broker could not be reached
   * before any device connected (a wrong URL, nothing listening), or it refused every device. Stays
   * pending otherwise. The devices keep retrying; whether to stop is the caller's choice.
   */
  failed: Promise<FleetFailure>;
}

const TICK_MS = 100;

/**
 * Streams a simulated fleet over MQTT, one connection per device, in accelerated virtual time.
 * Returns at once; devices connect in the background at the connect rate.
 */
export function runFleet(options: RunFleetOptions): FleetRun {
  const logger = (options.logger ?? silentLogger).child({ component: 'device-sim' });
  const intervalMs = options.intervalMs ?? 60_000;
  const qos = options.qos ?? 1;
  const start = options.start ?? Date.now();
  const clock = new VirtualClock(start, options.speed ?? 1, options.capAtNow ?? true);
  const connectRate = options.connectRatePerS ?? 100;
  const maxSamples = Math.max(1, options.maxSamplesPerMessage ?? 100);
  const spacingMs = options.minPublishSpacingMs ?? 1000;
  const maxInflight = options.maxInflightPerDevice ?? 20;
  const counters: LinkCounters = {
    connected: 0,
    refused: 0,
    reconnects: 0,
    messagesSent: 0,
    messagesAcked: 0,
    samplesSent: 0,
    eventsSent: 0,
    commandsAnswered: 0,
    publishErrors: 0,
  };
  let failuresInjected = 0;
  const jitter = new Rng(mixSeed(options.devices.length, start));
  const links = new Map<string, DeviceLink>();
  let connectedOnce = false;
  let fail!: (failure: FleetFailure) => void;
  const failed = new Promise<FleetFailure>((resolve) => {
    fail = resolve;
  });
  const first = firstSampleAt(start, intervalMs);
  for (const { spec, secret } of options.devices) {
    const sim = new DeviceSimulator(
      spec,
      start,
      options.autoRepair === undefined ? {} : { autoRepair: options.autoRepair },
    );
    const link = new DeviceLink(
      sim,
      {
        mqttUrl: options.mqttUrl,
        secret,
        qos,
        keepaliveS: options.keepaliveS ?? 60,
        reconnectPeriodMs: Math.round(jitter.uniform(1000, 4000)),
        logger,
        onEvent: options.onEvent,
        onConnected: () => {
          connectedOnce = true;
        },
        // Once a device got in, the broker exists: a later failure is an outage to ride out.
        onConnectFailed: (err) => {
          if (!connectedOnce) fail({ kind: 'unreachable', reason: describeConnectFailure(err) });
        },
        onRefused: (err) => {
          if (counters.refused >= links.size) fail({ kind: 'refused', reason: err.message });
        },
      },
      counters,
      first,
    );
    link.nextPublishAt = Date.now() + jitter.uniform(0, spacingMs);
    links.set(spec.id, link);
  }
  const catchUp = clock.catchesUpAt();
  if (catchUp !== null) {
    logger.info(
      { catchesUpAt: new Date(catchUp).toISOString() },
      'virtual time starts in the past and continues in real time once it reaches the present',
    );
  }

  const waiting = [...links.values()];
  let nextToConnect = 0;
  let tokens = Math.min(connectRate, 10);
  let lastTick = Date.now();
  let lastProgress = 0;
  const batch: TelemetrySample[] = [];

  const progress = (): FleetProgress => ({
    ...counters,
    devices: links.size,
    failuresInjected,
    virtualTime: clock.now(),
  });

  const tick = () => {
    const realNow = Date.now();
    tokens = Math.min(tokens + ((realNow - lastTick) / 1000) * connectRate, Math.max(connectRate, 1));
    lastTick = realNow;
    while (tokens >= 1 && nextToConnect < waiting.length) {
      tokens--;
      waiting[nextToConnect++]!.connect();
    }
    const vnow = clock.now();
    for (const link of links.values()) {
      if (
        !link.isConnected ||
        link.nextTs > vnow ||
        realNow < link.nextPublishAt ||
        link.inflight >= maxInflight
      )
        continue;
      batch.length = 0;
      while (link.nextTs <= vnow && batch.length < maxSamples) {
        const step = link.sim.step(link.nextTs, intervalMs);
        link.nextTs += intervalMs;
        batch.push(step.sample);
        for (const event of step.events) link.publishEvent(event);
        for (const record of step.groundTruth) {
          failuresInjected++;
          options.onGroundTruth?.(record);
        }
      }
      link.publishTelemetry(batch);
      link.nextPublishAt = realNow + spacingMs;
    }
    if (options.onProgress && realNow - lastProgress >= (options.progressEveryMs ?? 1000)) {
      lastProgress = realNow;
      options.onProgress(progress());
    }
  };
  const timer = setInterval(tick, TICK_MS);
  let stopping: Promise<void> | null = null;

  return {
    progress,
    failed,
    virtualNow: () => clock.now(),
    simulator(deviceId) {
      const link = links.get(deviceId);
      if (!link) throw new SimError('SIM_UNKNOWN_DEVICE', `no simulated device ${deviceId}`);
      return link.sim;
    },
    repair(deviceId, at, repairOptions) {
      const sim = this.simulator(deviceId);
      return sim.repair(at ?? sim.currentTime, repairOptions);
    },
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await Promise.all([...links.values()].map((link) => link.end(5000)));
        options.onProgress?.(progress());
      })();
      return stopping;
    },
  };
}
