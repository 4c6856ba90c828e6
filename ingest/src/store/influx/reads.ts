import type { MetricSeries } from '@aftercare/core';
import type { DeviceWindow, LatestValues, SeriesQuery, WindowQuery } from '../telemetry-store.ts';
import type { InfluxSeries } from './influx-http.ts';
import { anyOf, chunks, identifier, literal, mapLimit, timeRange } from './influxql.ts';
import { bucketStarts, checkMetricNames, checkRange, reservedNames } from './input-rules.ts';

/** Devices per query (a few kilobytes of InfluxQL) and queries in flight for many-device reads. */
const devicesPerQuery = 200;
const queriesInFlight = 4;
const aggregates = ['mean', 'min', 'max'] as const;

export type RunQuery = (statement: string) => Promise<InfluxSeries[]>;

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Columns of one result, resolved to metric names. Named metrics are aliased by position
 * (`mean_0`), so no metric name can collide with another's alias; a wildcard such as `mean(*)`
 * names its columns `mean_<field>`.
 */
function columnsOf(series: InfluxSeries, metrics: readonly string[] | undefined, prefix: string) {
  const found = new Map<string, number>();
  series.columns.forEach((column, index) => {
    if (!column.startsWith(`${prefix}_`)) return;
    const rest = column.slice(prefix.length + 1);
    const name = metrics ? metrics[Number(rest)] : rest;
    if (name !== undefined) found.set(name, index);
  });
  return found;
}

export class InfluxReads {
  /** `telemetry` is asked each time: init() qualifies it with the retention policy it settled on. */
  constructor(
    private readonly run: RunQuery,
    private readonly measurement: () => string,
  ) {}

  private get telemetry(): string {
    return this.measurement();
  }

  async querySeries(query: SeriesQuery): Promise<MetricSeries[]> {
    checkRange(query.from, query.to);
    checkMetricNames(query.metrics);
    const step = query.stepMs ?? null;
    if (step !== null) bucketStarts(query.from, query.to, step);
    const metrics = query.metrics ? [...new Set(query.metrics)] : undefined;
    const result = new Map<string, MetricSeries>();
    for (const name of metrics ?? []) result.set(name, { metric: name, ts: [], mean: [], min: [], max: [] });
    if (query.to <= query.from) return [...result.values()];
    const where = `WHERE ${identifier('device_id')} = ${literal(query.deviceId)} AND ${timeRange(query.from, query.to)}`;
    const select =
      step === null
        ? metrics
          ? metrics.map((m, i) => `${identifier(m)} AS "value_${i}"`).join(', ')
          : '*'
        : metrics
          ? metrics
              .flatMap((m, i) => aggregates.map((f) => `${f}(${identifier(m)}) AS "${f}_${i}"`))
              .join(', ')
          : aggregates.map((f) => `${f}(*)`).join(', ');
    const groupBy = step === null ? '' : ` GROUP BY time(${step}ms) fill(none)`;
    const [series] = await this.run(`SELECT ${select} FROM ${this.telemetry} ${where}${groupBy}`);
    if (!series) return [...result.values()];

    const entry = (name: string) => {
      let s = result.get(name);
      if (!s) {
        s = { metric: name, ts: [], mean: [], min: [], max: [] };
        result.set(name, s);
      }
      return s;
    };
    if (step === null) {
      const columns = metrics
        ? columnsOf(series, metrics, 'value')
        : new Map(series.columns.map((c, i) => [c, i] as const).filter(([c]) => !reservedNames.has(c)));
      for (const [name, index] of columns) {
        for (const row of series.values) {
          const value = row[index];
          if (typeof value !== 'number') continue;
          const s = entry(name);
          s.ts.push(row[0] as number);
          s.mean.push(value);
          s.min.push(value);
          s.max.push(value);
        }
      }
    } else {
      const [means, mins, maxes] = aggregates.map((f) => columnsOf(series, metrics, f)) as [
        Map<string, number>,
        Map<string, number>,
        Map<string, number>,
      ];
      for (const [name, meanIndex] of means) {
        for (const row of series.values) {
          const mean = row[meanIndex];
          if (typeof mean !== 'number') continue;
          const s = entry(name);
          s.ts.push(row[0] as number);
          s.mean.push(mean);
          s.min.push(row[mins.get(name)!] as number);
          s.max.push(row[maxes.get(name)!] as number);
        }
      }
    }
    return metrics ? [...result.values()] : [...result.values()].sort((a, b) => byName(a.metric, b.metric));
  }

  async windows(query: WindowQuery): Promise<DeviceWindow[]> {
    checkMetricNames(query.metrics);
    const starts = bucketStarts(query.from, query.to, query.stepMs);
    const first = starts[0] ?? 0;
    const metrics = query.metrics ? [...new Set(query.metrics)] : undefined;
    const deviceIds = [...new Set(query.deviceIds)];
    const empty = () => starts.map((): number | null => null);
    const windows = new Map<string, DeviceWindow>();
    for (const deviceId of deviceIds) {
      const values: DeviceWindow['values'] = {};
      for (const metric of metrics ?? []) values[metric] = empty();
      windows.set(deviceId, { deviceId, ts: [...starts], values });
    }
    if (starts.length === 0 || deviceIds.length === 0) return [...windows.values()];
    const select = metrics
      ? metrics.map((m, i) => `mean(${identifier(m)}) AS "mean_${i}"`).join(', ')
      : 'mean(*)';
    const results = await mapLimit(chunks(deviceIds, devicesPerQuery), queriesInFlight, (ids) =>
      this.run(
        `SELECT ${select} FROM ${this.telemetry} WHERE ${anyOf('device_id', ids)} AND ${timeRange(query.from, query.to)}` +
          ` GROUP BY time(${query.stepMs}ms), ${identifier('device_id')} fill(none)`,
      ),
    );
    for (const series of results.flat()) {
      const window = windows.get(series.tags?.device_id ?? '');
      if (!window) continue;
      for (const [name, index] of columnsOf(series, metrics, 'mean')) {
        for (const row of series.values) {
          const mean = row[index];
          if (typeof mean !== 'number') continue;
          window.values[name] ??= empty();
          window.values[name]![((row[0] as number) - first) / query.stepMs] = mean;
        }
      }
    }
    if (!metrics) {
      for (const window of windows.values()) {
        window.values = Object.fromEntries(Object.entries(window.values).sort(([a], [b]) => byName(a, b)));
      }
    }
    return [...windows.values()];
  }

  async latest(deviceIds?: readonly string[]): Promise<LatestValues[]> {
    const statement = (where: string) =>
      `SELECT * FROM ${this.telemetry}${where} GROUP BY ${identifier('device_id')} ORDER BY time DESC LIMIT 1`;
    const results =
      deviceIds === undefined
        ? [await this.run(statement(''))]
        : await mapLimit(chunks([...new Set(deviceIds)], devicesPerQuery), queriesInFlight, (ids) =>
            this.run(statement(` WHERE ${anyOf('device_id', ids)}`)),
          );
    const latest: LatestValues[] = [];
    for (const series of results.flat()) {
      const row = series.values[0];
      const deviceId = series.tags?.device_id;
      if (!row || !deviceId) continue;
      const metrics: Record<string, number> = {};
      series.columns.forEach((column, index) => {
        if (!reservedNames.has(column) && typeof row[index] === 'number')
          metrics[column] = row[index] as number;
      });
      const sorted = Object.fromEntries(Object.entries(metrics).sort(([a], [b]) => byName(a, b)));
      latest.push({ deviceId, ts: row[0] as number, metrics: sorted });
    }
    return latest.sort((a, b) => byName(a.deviceId, b.deviceId));
  }
}
