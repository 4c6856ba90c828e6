import type { ComponentTrend, DeviceEvent, MetricSeries, Risk } from '@aftercare/core';

/** One sample of one device as stored: one field per metric, tagged with device and model. */
export interface TelemetryPoint {
  deviceId: string;
  model: string;
  ts: number;
  metrics: Record<string, number>;
}

export interface StoredEvent extends DeviceEvent {
  deviceId: string;
  model: string;
}

export interface SeriesQuery {
  deviceId: string;
  /** Omitted: every metric the device has reported. */
  metrics?: string[];
  /** Inclusive start, exclusive end, epoch ms. */
  from: number;
  to: number;
  /** Bucket width for mean/min/max; omitted or null returns raw samples (mean = min = max). */
  stepMs?: number | null;
}

export interface LatestValues {
  deviceId: string;
  ts: number;
  metrics: Record<string, number>;
}

export interface WindowQuery {
  deviceIds: string[];
  metrics?: string[];
  from: number;
  to: number;
  stepMs: number;
}

/**
 * Mean per bucket for one device, aligned to multiples of stepMs from floor(from / stepMs) * stepMs
 * up to `to`; `null` where the bucket holds no data. What the models read.
 */
export interface DeviceWindow {
  deviceId: string;
  ts: number[];
  values: Record<string, (number | null)[]>;
}

export interface EventQuery {
  deviceId?: string;
  from: number;
  to: number;
  types?: string[];
  limit?: number;
}

/** Risk history: time is the risk's `scoredAt`. */
export interface RiskQuery {
  /** Omitted: every device. */
  deviceIds?: readonly string[];
  component?: string;
  /** Inclusive start, exclusive end, epoch ms. */
  from: number;
  to: number;
  /** Default 10,000, at most 100,000; when more match, the most recent are kept. */
  limit?: number;
}

/** One device's risk in buckets, for charts over any range. */
export interface RiskTrendQuery {
  deviceId: string;
  component?: string;
  /** Inclusive start, exclusive end, epoch ms. */
  from: number;
  to: number;
  /** Bucket width, at least 1 s; buckets start at its multiples. At most `maxRiskTrendBuckets` buckets. */
  stepMs: number;
}

export interface CompactionResult {
  rolledUpHours: number;
  deletedSamples: number;
}

/**
 * The port through which everything reads and writes telemetry. Adapters: embedded SQLite (the
 * default) and InfluxDB over its v1-compatible HTTP API.
 *
 * Writes are idempotent on (deviceId, ts, metric): writing the same point twice stores it once, so a
 * retried batch never duplicates data. `write` resolves only once the data is durable. An adapter
 * throws `StoreUnavailableError` when the engine cannot be reached (the caller retries) and
 * `StoreRejectedError` when the engine refused the data itself (retrying cannot help).
 */
export interface TelemetryStore {
  readonly kind: 'sqlite' | 'influx';
  init(): Promise<void>;
  write(points: readonly TelemetryPoint[]): Promise<void>;
  writeEvents(events: readonly StoredEvent[]): Promise<void>;
  querySeries(query: SeriesQuery): Promise<MetricSeries[]>;
  /** Latest sample per device; all devices when ids are omitted. */
  latest(deviceIds?: readonly string[]): Promise<LatestValues[]>;
  windows(query: WindowQuery): Promise<DeviceWindow[]>;
  events(query: EventQuery): Promise<StoredEvent[]>;
  /**
   * Stores scored risks (measurement `risk`). Idempotent on (deviceId, component, scoredAt): the
   * same risk written again is stored once and a changed one replaces it. Resolves once durable; a
   * batch with one risk that does not satisfy `riskSchema` is refused whole (StoreRejectedError).
   */
  writeRisks(risks: readonly Risk[]): Promise<void>;
  /** Risk history, oldest first (then by device and component). */
  risks(query: RiskQuery): Promise<Risk[]>;
  /**
   * Highest pFail and fewest days left per bucket and component, components by name, buckets oldest
   * first, empty ones left out. Where raw risks are past retention, an adapter that keeps a daily
   * rollup answers from it (one bucket per UTC day at most there); one that does not has nothing.
   */
  riskTrend(query: RiskTrendQuery): Promise<ComponentTrend[]>;
  /** The newest risk per device × component, by device then component; all devices when ids are omitted. */
  latestRisks(deviceIds?: readonly string[]): Promise<Risk[]>;
  /** Throws StoreUnavailableError when the engine does not answer. */
  ping(): Promise<void>;
  /** Rolls up and drops raw data past retention; a no-op where the engine does it itself. */
  compact(now: number): Promise<CompactionResult>;
  close(): Promise<void>;
}
