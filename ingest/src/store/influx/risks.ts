import type { ComponentTrend, Risk } from '@aftercare/core';
import { Point } from '@influxdata/influxdb-client';
import {
  byDeviceComponent,
  byTimeDeviceComponent,
  checkRiskQuery,
  checkRiskTrendQuery,
  mergeTrends,
  mostRecent,
} from '../risk-rules.ts';
import type { RiskQuery, RiskTrendQuery } from '../telemetry-store.ts';
import type { InfluxSeries } from './influx-http.ts';
import { anyOf, chunks, identifier, literal, mapLimit, timeRange } from './influxql.ts';

/** Devices per query and queries in flight, as the telemetry reads use them. */
const devicesPerQuery = 200;
const queriesInFlight = 4;

export type RunQuery = (statement: string) => Promise<InfluxSeries[]>;

/**
 * Measurement `risk`, the schema outside tools read: tags device_id, component, model_version,
 * model and failure_mode; fields p_fail, days_left (absent when the model sees no failure coming),
 * days_left_known, horizon_days, data_until (epoch ms) and drivers (JSON); time = scoredAt. The series key plus time
 * identifies a risk, so a rewrite replaces it. (A risk for the same device, component and time from
 * another model version is another series: the scoring job never writes one, as each run has its
 * own time.)
 */
export function riskLine(risk: Risk): string {
  const point = new Point('risk')
    .tag('device_id', risk.deviceId)
    .tag('component', risk.component)
    .tag('model_version', risk.modelVersion)
    .tag('model', risk.model)
    .tag('failure_mode', risk.failureMode)
    .floatField('p_fail', risk.pFail)
    .floatField('horizon_days', risk.horizonDays)
    .intField('data_until', risk.dataUntil)
    .stringField('drivers', JSON.stringify(risk.drivers))
    .timestamp(String(risk.scoredAt));
  // A rewrite merges fields into the stored point, so an absent days_left would leave the old value
  // in place: days_left_known says whether the point's days_left counts.
  point.booleanField('days_left_known', risk.daysLeft !== null);
  if (risk.daysLeft !== null) point.floatField('days_left', risk.daysLeft);
  return point.toLineProtocol()!;
}

const fields = ['p_fail', 'days_left', 'days_left_known', 'horizon_days', 'data_until', 'drivers'];
const tags = ['device_id', 'component', 'model_version', 'model', 'failure_mode'];

/** Reads the risk series, each query limited to the devices it names. */
export class InfluxRisks {
  constructor(
    private readonly run: RunQuery,
    private readonly measurement: () => string,
  ) {}

  async read(query: RiskQuery): Promise<Risk[]> {
    const limit = checkRiskQuery(query);
    if (limit === 0 || query.to <= query.from || query.deviceIds?.length === 0) return [];
    const where = [timeRange(query.from, query.to)];
    if (query.component !== undefined) where.push(`${identifier('component')} = ${literal(query.component)}`);
    const statement = (devices?: readonly string[]) =>
      `SELECT ${[...fields, ...tags].map(identifier).join(', ')} FROM ${this.measurement()}` +
      ` WHERE ${[...where, ...(devices ? [anyOf('device_id', devices)] : [])].join(' AND ')}` +
      ` ORDER BY time DESC LIMIT ${limit}`;
    const results =
      query.deviceIds === undefined
        ? [await this.run(statement())]
        : await mapLimit(chunks([...new Set(query.deviceIds)], devicesPerQuery), queriesInFlight, (ids) =>
            this.run(statement(ids)),
          );
    return mostRecent(risksFrom(results.flat()).sort(byTimeDeviceComponent), limit);
  }

  /**
   * GROUP BY time() buckets from the epoch, as floor(ts / step) * step. Only what the retention
   * policy still holds: this adapter keeps no daily rollup, as it keeps no hourly telemetry one.
   */
  async trend(query: RiskTrendQuery): Promise<ComponentTrend[]> {
    checkRiskTrendQuery(query);
    if (query.to <= query.from) return [];
    const where = [
      timeRange(query.from, query.to),
      `${identifier('device_id')} = ${literal(query.deviceId)}`,
    ];
    if (query.component !== undefined) where.push(`${identifier('component')} = ${literal(query.component)}`);
    const from = ` FROM ${this.measurement()} WHERE ${where.join(' AND ')}`;
    // Without the window's bounds: when each component was first scored, whatever the window.
    const ever = ` FROM ${this.measurement()} WHERE ${where.slice(1).join(' AND ')}`;
    const component = identifier('component');
    const pFail = identifier('p_fail');
    // A selector alone keeps its point's own time: each component's first score, and its last in the window.
    const [buckets, firsts, lasts] = await Promise.all([
      this.run(
        `SELECT max(${pFail}), min(${identifier('days_left')}), count(${pFail})${from}` +
          ` GROUP BY time(${query.stepMs}ms), ${component} fill(none)`,
      ),
      this.run(`SELECT first(${pFail})${ever} GROUP BY ${component}`),
      this.run(`SELECT last(${pFail})${from} GROUP BY ${component}`),
    ]);
    const timeOf = (series: typeof firsts) =>
      new Map(series.map((s) => [s.tags?.component ?? '', s.values[0]?.[0] as number]));
    const [firstAt, lastAt] = [timeOf(firsts), timeOf(lasts)];
    return mergeTrends(
      buckets.flatMap((s) => {
        const name = s.tags?.component ?? '';
        return s.values.map((row) => ({
          component: name,
          ts: row[0] as number,
          pFail: row[1] as number,
          daysLeft: typeof row[2] === 'number' ? row[2] : null,
          scores: row[3] as number,
          lastAt: lastAt.get(name) ?? (row[0] as number),
        }));
      }),
      firstAt,
    );
  }

  /** GROUP BY the pair's tags with LIMIT 1 gives the newest point of each device × component. */
  async latest(deviceIds?: readonly string[]): Promise<Risk[]> {
    if (deviceIds?.length === 0) return [];
    const statement = (where: string) =>
      `SELECT ${[...fields, 'model_version', 'model', 'failure_mode'].map(identifier).join(', ')}` +
      ` FROM ${this.measurement()}${where}` +
      ` GROUP BY ${identifier('device_id')}, ${identifier('component')} ORDER BY time DESC LIMIT 1`;
    const results =
      deviceIds === undefined
        ? [await this.run(statement(''))]
        : await mapLimit(chunks([...new Set(deviceIds)], devicesPerQuery), queriesInFlight, (ids) =>
            this.run(statement(` WHERE ${anyOf('device_id', ids)}`)),
          );
    return risksFrom(results.flat()).sort(byDeviceComponent);
  }
}

/** Rows to risks; a grouped tag comes from the series' tags, any other column from the row. */
function risksFrom(series: readonly InfluxSeries[]): Risk[] {
  const risks: Risk[] = [];
  for (const s of series) {
    const index = new Map(s.columns.map((name, i) => [name, i]));
    for (const row of s.values) {
      const get = (name: string): unknown => {
        const i = index.get(name);
        return i === undefined ? s.tags?.[name] : row[i];
      };
      const text = (name: string) => String(get(name) ?? '');
      const daysLeft = get('days_left');
      risks.push({
        deviceId: text('device_id'),
        model: text('model') as Risk['model'],
        component: text('component'),
        failureMode: text('failure_mode'),
        pFail: get('p_fail') as number,
        daysLeft: typeof daysLeft === 'number' && get('days_left_known') !== false ? daysLeft : null,
        horizonDays: get('horizon_days') as number,
        modelVersion: text('model_version'),
        scoredAt: row[0] as number,
        dataUntil: get('data_until') as number,
        drivers: JSON.parse(text('drivers') || '[]') as Risk['drivers'],
      });
    }
  }
  return risks;
}
