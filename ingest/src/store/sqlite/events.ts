import type Database from 'better-sqlite3';
import type { EventQuery, StoredEvent } from '../telemetry-store.ts';
import type { Dictionary } from './dictionary.ts';
import { checkRange } from './input-rules.ts';

export const defaultEventLimit = 1_000;
export const maxEventLimit = 10_000;

interface EventRow {
  device: number;
  model: string;
  ts: number;
  type: string;
  code: string;
  message: string | null;
  component: string | null;
  failure_mode: string | null;
  command_id: string | null;
  data: string | null;
}

const selectSql = (byDevice: boolean) => `
  SELECT e.device, d.model, e.ts, e.type, e.code, e.message, e.component, e.failure_mode, e.command_id, e.data
    FROM events e JOIN devices d ON d.id = e.device
   WHERE ${byDevice ? 'e.device = @device AND ' : ''}e.ts >= @from AND e.ts < @to
     AND (@types IS NULL OR e.type IN (SELECT value FROM json_each(@types)))
   ORDER BY e.ts DESC, d.device_id, e.type, e.code
   LIMIT @limit`;

/**
 * Events keyed by (device, ts, type, code): the same event written twice is stored once, as the
 * InfluxDB adapter's series key (those tags plus time) does.
 */
export class SqliteEvents {
  private readonly insert: Database.Statement;
  private readonly ofDevice: Database.Statement;
  private readonly ofAll: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly ids: Dictionary,
  ) {
    this.insert = db.prepare(
      `INSERT OR REPLACE INTO events (device, ts, type, code, message, component, failure_mode, command_id, data)
       VALUES (@device, @ts, @type, @code, @message, @component, @failure_mode, @command_id, @data)`,
    );
    this.ofDevice = db.prepare(selectSql(true));
    this.ofAll = db.prepare(selectSql(false));
  }

  /** Runs inside the caller's transaction. */
  write(events: readonly StoredEvent[]): void {
    for (const event of events) {
      this.insert.run({
        device: this.ids.deviceFor(event.deviceId, event.model),
        ts: event.ts,
        type: event.type,
        code: event.code,
        message: event.message ?? null,
        component: event.component ?? null,
        failure_mode: event.failureMode ?? null,
        command_id: event.commandId ?? null,
        data: event.data === undefined ? null : JSON.stringify(event.data),
      });
    }
  }

  /** Newest first; `limit` keeps the most recent. */
  read(query: EventQuery): StoredEvent[] {
    checkRange(query.from, query.to);
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? defaultEventLimit), 0), maxEventLimit);
    const params = {
      from: query.from,
      to: query.to,
      types: query.types ? JSON.stringify(query.types) : null,
      limit,
    };
    let rows: EventRow[];
    if (query.deviceId !== undefined) {
      const device = this.ids.deviceId(query.deviceId);
      if (device === undefined) return [];
      rows = this.ofDevice.all({ ...params, device }) as EventRow[];
    } else {
      rows = this.ofAll.all(params) as EventRow[];
    }
    return rows.map((row) => toEvent(this.ids.deviceName(row.device), row));
  }
}

function toEvent(deviceId: string, row: EventRow): StoredEvent {
  const event: StoredEvent = {
    deviceId,
    model: row.model,
    ts: row.ts,
    type: row.type as StoredEvent['type'],
    code: row.code,
  };
  if (row.message !== null) event.message = row.message;
  if (row.component !== null) event.component = row.component;
  if (row.failure_mode !== null) event.failureMode = row.failure_mode;
  if (row.command_id !== null) event.commandId = row.command_id;
  if (row.data !== null) event.data = JSON.parse(row.data) as StoredEvent['data'];
  return event;
}
