import {
  type ComponentTrend,
  type Logger,
  type MetricSeries,
  type Risk,
  silentLogger,
} from '@aftercare/core';
import type Database from 'better-sqlite3';
import { StoreUnavailableError } from '../../errors.ts';
import { assertStorableRisks } from '../risk-rules.ts';
import type {
  CompactionResult,
  DeviceWindow,
  EventQuery,
  LatestValues,
  RiskQuery,
  RiskTrendQuery,
  SeriesQuery,
  StoredEvent,
  TelemetryPoint,
  TelemetryStore,
  WindowQuery,
} from '../telemetry-store.ts';
import { Compactor, hourOf } from './compaction.ts';
import { Dictionary } from './dictionary.ts';
import { SqliteEvents } from './events.ts';
import { assertStorableEvents, assertStorablePoints } from './input-rules.ts';
import { SqliteReads } from './reads.ts';
import { SqliteRisks } from './risks.ts';
import { openDatabase } from './schema.ts';
import { toStoreError } from './sqlite-errors.ts';

export interface SqliteStoreOptions {
  /** Path of the database file (created with its directory), or ':memory:'. */
  file: string;
  /** Raw samples older than this are rolled up to hourly min/mean/max and deleted by `compact`. */
  retentionDays: number;
  logger?: Logger;
}

const dayMs = 86_400_000;

/** Rows per multi-row INSERT: 4 parameters each, well below SQLite's limit on bound parameters. */
const rowsPerInsert = 64;

interface Open {
  db: Database.Database;
  ids: Dictionary;
  reads: SqliteReads;
  events: SqliteEvents;
  risks: SqliteRisks;
  compactor: Compactor;
  insertSample: Database.Statement<[number, number, number, number]>;
  insertSamples: Database.Statement<number[]>;
  touchDevice: Database.Statement<[{ device: number; max: number; fromHour: number; toHour: number }]>;
}

/**
 * The embedded default: one SQLite file in WAL mode. better-sqlite3 is synchronous, so every call
 * runs to completion on the event loop; a write of ~5,000 samples takes tens of milliseconds and
 * reads over many devices yield between chunks.
 */
export class SqliteTelemetryStore implements TelemetryStore {
  readonly kind = 'sqlite' as const;
  private open: Open | undefined;
  private readonly log: Logger;

  constructor(private readonly options: SqliteStoreOptions) {
    if (!Number.isFinite(options.retentionDays) || options.retentionDays <= 0) {
      throw new RangeError('retentionDays must be a positive number');
    }
    this.log = (options.logger ?? silentLogger).child({ component: 'sqlite-store' });
  }

  async init(): Promise<void> {
    if (this.open) return;
    let db: Database.Database | undefined;
    try {
      db = openDatabase(this.options.file);
      const ids = new Dictionary(db);
      this.open = {
        db,
        ids,
        reads: new SqliteReads(db, ids),
        events: new SqliteEvents(db, ids),
        risks: new SqliteRisks(db, ids),
        compactor: new Compactor(db, this.options.retentionDays),
        insertSample: db.prepare(
          'INSERT OR REPLACE INTO samples (device, metric, ts, value) VALUES (?, ?, ?, ?)',
        ),
        // Crossing from JavaScript into SQLite costs more than a row: rows go in groups.
        insertSamples: db.prepare(
          `INSERT OR REPLACE INTO samples (device, metric, ts, value) VALUES ${Array(rowsPerInsert).fill('(?, ?, ?, ?)').join(', ')}`,
        ),
        // The newest sample, and the hours compaction must roll up again (read by hourly windows).
        touchDevice: db.prepare(
          `UPDATE devices SET last_ts = max(coalesce(last_ts, @max), @max),
             dirty_from = min(coalesce(dirty_from, @fromHour), @fromHour),
             dirty_to = max(coalesce(dirty_to, @toHour), @toHour)
           WHERE id = @device`,
        ),
      };
      this.log.info({ file: this.options.file }, 'sqlite telemetry store open');
    } catch (err) {
      db?.close();
      const mapped = toStoreError(err, `open ${this.options.file}`);
      throw mapped instanceof StoreUnavailableError
        ? mapped
        : new StoreUnavailableError(`cannot open ${this.options.file}: ${(err as Error).message}`, {
            cause: err,
          });
    }
  }

  async write(points: readonly TelemetryPoint[]): Promise<void> {
    assertStorablePoints(points);
    if (points.length === 0) return;
    const open = this.require();
    const touched = new Map<number, { min: number; max: number }>();
    open.ids.begin();
    try {
      open.db.transaction(() => {
        const rows: number[] = [];
        for (const point of points) {
          const device = open.ids.deviceFor(point.deviceId, point.model);
          for (const name in point.metrics) {
            const metric = open.ids.metricFor(name);
            open.ids.link(device, metric);
            rows.push(device, metric, point.ts, point.metrics[name]!);
            if (rows.length === rowsPerInsert * 4) {
              open.insertSamples.run(...rows);
              rows.length = 0;
            }
          }
          const range = touched.get(device);
          if (!range) touched.set(device, { min: point.ts, max: point.ts });
          else {
            range.min = Math.min(range.min, point.ts);
            range.max = Math.max(range.max, point.ts);
          }
        }
        for (let i = 0; i < rows.length; i += 4)
          open.insertSample.run(rows[i]!, rows[i + 1]!, rows[i + 2]!, rows[i + 3]!);
        for (const [device, range] of touched) {
          open.touchDevice.run({
            device,
            max: range.max,
            fromHour: hourOf(range.min),
            toHour: hourOf(range.max),
          });
        }
      })();
    } catch (err) {
      open.ids.rollback();
      throw toStoreError(err, 'write');
    }
  }

  async writeEvents(events: readonly StoredEvent[]): Promise<void> {
    assertStorableEvents(events);
    if (events.length === 0) return;
    const open = this.require();
    open.ids.begin();
    try {
      open.db.transaction(() => open.events.write(events))();
    } catch (err) {
      open.ids.rollback();
      throw toStoreError(err, 'event write');
    }
  }

  async writeRisks(risks: readonly Risk[]): Promise<void> {
    assertStorableRisks(risks);
    if (risks.length === 0) return;
    const open = this.require();
    open.ids.begin();
    try {
      open.db.transaction(() => open.risks.write(risks))();
    } catch (err) {
      open.ids.rollback();
      throw toStoreError(err, 'risk write');
    }
  }

  async risks(query: RiskQuery): Promise<Risk[]> {
    return this.guard('risk query', () => this.readable().risks.read(query));
  }

  async riskTrend(query: RiskTrendQuery): Promise<ComponentTrend[]> {
    return this.guard('risk trend', () => this.readable().risks.trend(query));
  }

  async latestRisks(deviceIds?: readonly string[]): Promise<Risk[]> {
    return this.guard('latest risks', () => this.readable().risks.latest(deviceIds));
  }

  async querySeries(query: SeriesQuery): Promise<MetricSeries[]> {
    return this.guard('query', () => this.readable().reads.querySeries(query));
  }

  async latest(deviceIds?: readonly string[]): Promise<LatestValues[]> {
    return this.guard('latest', () => this.readable().reads.latest(deviceIds));
  }

  async windows(query: WindowQuery): Promise<DeviceWindow[]> {
    return this.guard('windows', () => this.readable().reads.windows(query));
  }

  async events(query: EventQuery): Promise<StoredEvent[]> {
    return this.guard('event query', () => this.readable().events.read(query));
  }

  private readable() {
    const open = this.require();
    open.ids.refreshIfChangedElsewhere();
    return open;
  }

  async ping(): Promise<void> {
    await this.guard('ping', () => this.require().db.prepare('SELECT 1').get());
  }

  /** Also drops risks scored before the retention window: they are history nobody acts on any more. */
  async compact(now: number): Promise<CompactionResult> {
    const result = await this.guard('compaction', () => this.require().compactor.compact(now));
    const cutoff = now - this.options.retentionDays * dayMs;
    const deletedRisks = await this.guard('risk retention', () => this.require().risks.deleteBefore(cutoff));
    this.log.info({ ...result, deletedRisks, now }, 'compacted telemetry');
    return result;
  }

  async close(): Promise<void> {
    const open = this.open;
    this.open = undefined;
    if (!open) return;
    try {
      open.db.pragma('optimize');
    } finally {
      open.db.close();
    }
  }

  private require(): Open {
    if (!this.open) throw new StoreUnavailableError('the sqlite telemetry store is not open');
    return this.open;
  }

  private async guard<T>(action: string, run: () => T | Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw toStoreError(err, action);
    }
  }
}

export function createSqliteStore(options: SqliteStoreOptions): SqliteTelemetryStore {
  return new SqliteTelemetryStore(options);
}
