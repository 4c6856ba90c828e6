import { Point } from '@influxdata/influxdb-client';
import type { EventQuery, StoredEvent } from '../telemetry-store.ts';
import type { InfluxSeries } from './influx-http.ts';
import { anyOf, identifier, literal, timeRange } from './influxql.ts';
import { checkRange } from './input-rules.ts';

export const defaultEventLimit = 1_000;
export const maxEventLimit = 10_000;

/** Optional string fields: port name → InfluxDB field name. */
const textFields = [
  ['message', 'message'],
  ['component', 'component'],
  ['failureMode', 'failure_mode'],
  ['commandId', 'command_id'],
] as const;

/**
 * Measurement `events`: tags device_id, model, type, code (so the series key plus time identifies an
 * event and a rewrite replaces it); the rest are string fields, `data` as JSON, and `value` = 1 so
 * that every point has a field even when all the optional ones are missing.
 */
export function eventLine(event: StoredEvent): string {
  const point = new Point('events')
    .tag('device_id', event.deviceId)
    .tag('model', event.model)
    .tag('type', event.type)
    .tag('code', event.code)
    .floatField('value', 1)
    .timestamp(String(event.ts));
  for (const [key, field] of textFields) {
    const value = event[key];
    if (value !== undefined) point.stringField(field, value);
  }
  if (event.data !== undefined) point.stringField('data', JSON.stringify(event.data));
  return point.toLineProtocol()!;
}

const columns = [
  'device_id',
  'model',
  'type',
  'code',
  ...textFields.map(([, field]) => field),
  'data',
  'value',
];

/** Newest first; `limit` keeps the most recent. Null when the query cannot match anything. */
export function eventsStatement(measurement: string, query: EventQuery): string | null {
  checkRange(query.from, query.to);
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? defaultEventLimit), 0), maxEventLimit);
  if (limit === 0 || query.to <= query.from || query.types?.length === 0) return null;
  const where = [timeRange(query.from, query.to)];
  if (query.deviceId !== undefined) where.push(`${identifier('device_id')} = ${literal(query.deviceId)}`);
  if (query.types) where.push(anyOf('type', query.types));
  return `SELECT ${columns.map(identifier).join(', ')} FROM ${measurement} WHERE ${where.join(' AND ')} ORDER BY time DESC LIMIT ${limit}`;
}

export function eventsFrom(series: readonly InfluxSeries[]): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (const s of series) {
    const at = (row: unknown[], name: string) => {
      const value = row[s.columns.indexOf(name)];
      return typeof value === 'string' ? value : undefined;
    };
    for (const row of s.values) {
      const event: StoredEvent = {
        deviceId: at(row, 'device_id') ?? '',
        model: at(row, 'model') ?? '',
        ts: row[0] as number,
        type: (at(row, 'type') ?? '') as StoredEvent['type'],
        code: at(row, 'code') ?? '',
      };
      for (const [key, field] of textFields) {
        const value = at(row, field);
        if (value !== undefined) event[key] = value;
      }
      const data = at(row, 'data');
      if (data !== undefined) event.data = JSON.parse(data) as StoredEvent['data'];
      events.push(event);
    }
  }
  return events;
}
