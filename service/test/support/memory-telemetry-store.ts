import type { MetricSeries } from '@aftercare/core';
import {
  type CompactionResult,
  type DeviceWindow,
  type EventQuery,
  type LatestValues,
  type SeriesQuery,
  type StoredEvent,
  StoreUnavailableError,
  type TelemetryPoint,
  type TelemetryStore,
  type WindowQuery,
} from '@aftercare/ingest';

/**
 * TODO(real store): a stand-in until ingest's embedded SQLite store (`createSqliteStore`) lands; the
 * harness must then use that one and this file goes. It keeps points in arrays and aggregates the
 * way the port documents, nothing more.
 */
export class MemoryTelemetryStore implements TelemetryStore {
  readonly kind = 'sqlite' as const;
  private readonly points: TelemetryPoint[] = [];
  private readonly stored: StoredEvent[] = [];
  /** Set to make ping() and reads fail as an unreachable engine would. */
  down = false;

  async init(): Promise<void> {}

  async write(points: readonly TelemetryPoint[]): Promise<void> {
    this.assertUp();
    this.points.push(...points);
  }

  async writeEvents(events: readonly StoredEvent[]): Promise<void> {
    this.stored.push(...events);
  }

  async querySeries(query: SeriesQuery): Promise<MetricSeries[]> {
    this.assertUp();
    const points = this.points
      .filter((p) => p.deviceId === query.deviceId && p.ts >= query.from && p.ts < query.to)
      .sort((a, b) => a.ts - b.ts);
    const names = query.metrics ?? [...new Set(points.flatMap((p) => Object.keys(p.metrics)))].sort();
    return names.map((metric) => {
      const buckets = new Map<number, number[]>();
      for (const p of points) {
        const value = p.metrics[metric];
        if (value === undefined) continue;
        const key = query.stepMs ? Math.floor(p.ts / query.stepMs) * query.stepMs : p.ts;
        buckets.set(key, [...(buckets.get(key) ?? []), value]);
      }
      const series: MetricSeries = { metric, ts: [], mean: [], min: [], max: [] };
      for (const [ts, values] of buckets) {
        series.ts.push(ts);
        series.mean.push(values.reduce((a, b) => a + b, 0) / values.length);
        series.min.push(Math.min(...values));
        series.max.push(Math.max(...values));
      }
      return series;
    });
  }

  async latest(deviceIds?: readonly string[]): Promise<LatestValues[]> {
    this.assertUp();
    const byDevice = new Map<string, LatestValues>();
    for (const p of this.points) {
      if (deviceIds && !deviceIds.includes(p.deviceId)) continue;
      const current = byDevice.get(p.deviceId);
      if (!current || p.ts >= current.ts)
        byDevice.set(p.deviceId, { deviceId: p.deviceId, ts: p.ts, metrics: p.metrics });
    }
    return [...byDevice.values()];
  }

  async windows(_query: WindowQuery): Promise<DeviceWindow[]> {
    throw new Error('not needed by the service tests');
  }

  async events(query: EventQuery): Promise<StoredEvent[]> {
    return this.stored.filter((e) => e.ts >= query.from && e.ts < query.to);
  }

  async ping(): Promise<void> {
    this.assertUp();
  }

  async compact(): Promise<CompactionResult> {
    return { rolledUpHours: 0, deletedSamples: 0 };
  }

  /** Like a closed database handle: everything afterwards fails. */
  async close(): Promise<void> {
    this.down = true;
  }

  private assertUp(): void {
    if (this.down) throw new StoreUnavailableError('memory store switched off at 10.0.0.9:8086');
  }
}
