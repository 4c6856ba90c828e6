import type { MetricSeries } from '@aftercare/core';
import type Database from 'better-sqlite3';
import type { DeviceWindow, LatestValues, SeriesQuery, WindowQuery } from '../telemetry-store.ts';
import type { Dictionary } from './dictionary.ts';
import { HourlyWindows } from './hourly-windows.ts';
import { bucketStarts, checkMetricNames, checkRange } from './input-rules.ts';

interface BucketRow {
  b: number;
  mean: number;
  min: number;
  max: number;
}

/** Devices per statement: enough to amortise the query, few enough that one call stays short. */
const devicesPerChunk = 500;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

// Every read combines two sources. Raw samples are used wherever they exist (including late samples
// below the floor that compaction has not merged yet); the hourly rollup only for hours below the
// device's raw_floor, where compaction deleted the raw rows. Neither source counts a sample twice.
// Steps are bound as BigInt so that SQLite divides integers: `(ts / step) * step` is then
// floor(ts / step) * step, the bucket alignment of InfluxDB's GROUP BY time().

const rawSql = `
  SELECT ts AS b, mean, min, max FROM (
    SELECT hour AS ts, sum / count AS mean, min, max FROM rollup_hourly
     WHERE device = @device AND metric = @metric AND hour >= @from AND hour < min(@to, @floor)
    UNION ALL
    SELECT ts, value, value, value FROM samples
     WHERE device = @device AND metric = @metric AND ts >= @from AND ts < @to
  ) ORDER BY ts`;

const steppedSql = `
  SELECT b, sum(s) / sum(c) AS mean, min(lo) AS min, max(hi) AS max FROM (
    SELECT (hour / @step) * @step AS b, sum AS s, count AS c, min AS lo, max AS hi FROM rollup_hourly
     WHERE device = @device AND metric = @metric AND hour >= @from AND hour < min(@to, @floor)
    UNION ALL
    SELECT (ts / @step) * @step, value, 1, value, value FROM samples
     WHERE device = @device AND metric = @metric AND ts >= @from AND ts < @to
  ) GROUP BY b ORDER BY b`;

const windowsSql = `
  SELECT device, metric, b, sum(s) / sum(c) AS mean FROM (
    SELECT r.device, r.metric, (r.hour / @step) * @step AS b, r.sum AS s, r.count AS c FROM rollup_hourly r
     WHERE r.device IN (SELECT value FROM json_each(@devices)) AND r.metric IN (SELECT value FROM json_each(@metrics))
       AND r.hour >= @from AND r.hour < @to AND r.hour < (SELECT raw_floor FROM devices WHERE id = r.device)
    UNION ALL
    SELECT device, metric, (ts / @step) * @step, value, 1 FROM samples
     WHERE device IN (SELECT value FROM json_each(@devices)) AND metric IN (SELECT value FROM json_each(@metrics))
       AND ts >= @from AND ts < @to
  ) GROUP BY device, metric, b`;

// CROSS JOIN fixes the join order: without statistics the planner would otherwise walk a device's
// whole history instead of seeking (device, metric, last_ts).
const latestSql = (filtered: boolean) => `
  SELECT d.id AS device, d.last_ts AS ts, s.metric, s.value FROM ${filtered ? 'json_each(@devices) j CROSS JOIN ' : ''}devices d
   CROSS JOIN device_metrics dm CROSS JOIN samples s
   WHERE ${filtered ? 'd.id = j.value AND ' : ''}d.last_ts IS NOT NULL AND dm.device = d.id
     AND s.device = d.id AND s.metric = dm.metric AND s.ts = d.last_ts`;

export class SqliteReads {
  private readonly raw: Database.Statement;
  private readonly stepped: Database.Statement;
  private readonly windowMeans: Database.Statement;
  private readonly latestOf: Database.Statement;
  private readonly latestAll: Database.Statement;
  private readonly floorOf: Database.Statement<[number], { raw_floor: number }>;
  private readonly hourly: HourlyWindows;

  constructor(
    db: Database.Database,
    private readonly ids: Dictionary,
  ) {
    this.raw = db.prepare(rawSql);
    this.stepped = db.prepare(steppedSql);
    this.windowMeans = db.prepare(windowsSql);
    this.latestOf = db.prepare(latestSql(true));
    this.latestAll = db.prepare(latestSql(false));
    this.floorOf = db.prepare('SELECT raw_floor FROM devices WHERE id = ?');
    this.hourly = new HourlyWindows(db);
  }

  querySeries(query: SeriesQuery): MetricSeries[] {
    checkRange(query.from, query.to);
    checkMetricNames(query.metrics);
    const step = query.stepMs ?? null;
    if (step !== null) bucketStarts(query.from, query.to, step);
    const device = this.ids.deviceId(query.deviceId);
    const names =
      query.metrics ??
      (device === undefined ? [] : this.ids.metricsOf(device).map((id) => this.ids.metricName(id)));
    const floor = device === undefined ? 0 : (this.floorOf.get(device)?.raw_floor ?? 0);
    return [...new Set(names)].map((name) => {
      const series: MetricSeries = { metric: name, ts: [], mean: [], min: [], max: [] };
      const metric = this.ids.metricId(name);
      if (device === undefined || metric === undefined || query.to <= query.from) return series;
      const params = { device, metric, from: query.from, to: query.to, floor };
      const rows = (
        step === null ? this.raw.all(params) : this.stepped.all({ ...params, step: BigInt(step) })
      ) as BucketRow[];
      for (const row of rows) {
        series.ts.push(row.b);
        series.mean.push(row.mean);
        series.min.push(row.min);
        series.max.push(row.max);
      }
      return series;
    });
  }

  async windows(query: WindowQuery): Promise<DeviceWindow[]> {
    checkMetricNames(query.metrics);
    const starts = bucketStarts(query.from, query.to, query.stepMs);
    const first = starts[0] ?? 0;
    const deviceNames = [...new Set(query.deviceIds)];
    const windows = new Map<string, DeviceWindow>();
    const empty = () => starts.map((): number | null => null);
    for (const name of deviceNames) {
      const values: DeviceWindow['values'] = {};
      for (const metric of query.metrics ?? []) values[metric] = empty();
      windows.set(name, { deviceId: name, ts: [...starts], values });
    }
    const known = deviceNames.map((name) => this.ids.deviceId(name)).filter((id) => id !== undefined);
    const named = query.metrics?.map((name) => this.ids.metricId(name)).filter((id) => id !== undefined);
    const hourly = HourlyWindows.handles(query.stepMs);
    for (let offset = 0; offset < known.length && starts.length > 0; offset += devicesPerChunk) {
      if (offset > 0) await yieldToEventLoop();
      const chunk = known.slice(offset, offset + devicesPerChunk);
      if (hourly) {
        const read = this.hourly.read(chunk, (device) => named ?? this.ids.metricsOf(device), {
          from: query.from,
          to: query.to,
          stepMs: query.stepMs,
          buckets: starts.length,
        });
        for (const [device, perMetric] of read) {
          const window = windows.get(this.ids.deviceName(device))!;
          for (const [metric, means] of perMetric) window.values[this.ids.metricName(metric)] = means;
        }
        continue;
      }
      const metricIds = named ?? [...new Set(chunk.flatMap((device) => this.ids.metricsOf(device)))];
      if (metricIds.length === 0) continue;
      const rows = this.windowMeans.all({
        devices: JSON.stringify(chunk),
        metrics: JSON.stringify(metricIds),
        from: query.from,
        to: query.to,
        step: BigInt(query.stepMs),
      }) as { device: number; metric: number; b: number; mean: number }[];
      for (const row of rows) {
        const window = windows.get(this.ids.deviceName(row.device))!;
        const metric = this.ids.metricName(row.metric);
        window.values[metric] ??= empty();
        window.values[metric]![(row.b - first) / query.stepMs] = row.mean;
      }
    }
    if (!query.metrics) {
      for (const window of windows.values()) window.values = sortKeys(window.values);
    }
    return [...windows.values()];
  }

  async latest(deviceIds?: readonly string[]): Promise<LatestValues[]> {
    const rows: { device: number; ts: number; metric: number; value: number }[] = [];
    if (deviceIds === undefined) {
      rows.push(...(this.latestAll.all() as typeof rows));
    } else {
      const known = [...new Set(deviceIds)]
        .map((name) => this.ids.deviceId(name))
        .filter((id) => id !== undefined);
      for (let offset = 0; offset < known.length; offset += devicesPerChunk) {
        if (offset > 0) await yieldToEventLoop();
        const devices = JSON.stringify(known.slice(offset, offset + devicesPerChunk));
        rows.push(...(this.latestOf.all({ devices }) as typeof rows));
      }
    }
    const byDevice = new Map<number, LatestValues>();
    for (const row of rows) {
      let entry = byDevice.get(row.device);
      if (!entry) {
        entry = { deviceId: this.ids.deviceName(row.device), ts: row.ts, metrics: {} };
        byDevice.set(row.device, entry);
      }
      entry.metrics[this.ids.metricName(row.metric)] = row.value;
    }
    return [...byDevice.values()]
      .map((entry) => ({ ...entry, metrics: sortKeys(entry.metrics) }))
      .sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  }
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
