import {
  type ComponentTrend,
  type Logger,
  type MetricSeries,
  type Risk,
  silentLogger,
} from '@aftercare/core';
import { Point } from '@influxdata/influxdb-client';
import { StoreRejectedError, StoreUnavailableError } from '../../errors.ts';
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
import { eventLine, eventsFrom, eventsStatement } from './events.ts';
import {
  type InfluxConnection,
  InfluxHttp,
  type InfluxSeries,
  InfluxStatementError,
  toStoreError,
} from './influx-http.ts';
import { identifier } from './influxql.ts';
import { assertStorableEvents, assertStorablePoints } from './input-rules.ts';
import { InfluxReads } from './reads.ts';
import { ensureRetentionPolicy } from './retention.ts';
import { InfluxRisks, riskLine } from './risks.ts';

export interface InfluxStoreOptions extends InfluxConnection {
  database: string;
  /** Duration of the `aftercare_raw` retention policy, which InfluxDB enforces itself. */
  retentionDays: number;
  logger?: Logger;
  /** Lines per POST /write (InfluxDB suggests 5,000–10,000). */
  linesPerRequest?: number;
}

/**
 * InfluxDB's answer when the only lines it dropped were older than the retention policy: it stored
 * the rest, and the old ones are not data anyone can keep.
 */
const beyondRetention = /partial write: points beyond retention policy dropped=(\d+)\s*$/;

/**
 * TelemetryStore on InfluxDB through the v1-compatible HTTP API that 1.x, 2.x (with a DBRP mapping)
 * and 3.x all answer. Schema, which outside tools such as Grafana rely on: measurement `telemetry`,
 * tags `device_id` and `model`, one float field per metric, time in ms.
 */
export class InfluxTelemetryStore implements TelemetryStore {
  readonly kind = 'influx' as const;
  private readonly http: InfluxHttp;
  private readonly log: Logger;
  private readonly linesPerRequest: number;
  private retentionPolicy: string | undefined;
  private readonly reads: InfluxReads;
  private readonly riskReads: InfluxRisks;
  private closed = false;
  private warnedBeyondRetention = false;

  constructor(private readonly options: InfluxStoreOptions) {
    if (!Number.isInteger(options.retentionDays) || options.retentionDays <= 0) {
      throw new RangeError('retentionDays must be a positive integer');
    }
    this.http = new InfluxHttp(options);
    this.log = (options.logger ?? silentLogger).child({ component: 'influx-store' });
    this.linesPerRequest = options.linesPerRequest ?? 5_000;
    this.reads = new InfluxReads(
      (q) => this.select(q),
      () => this.measurement('telemetry'),
    );
    this.riskReads = new InfluxRisks(
      (q) => this.select(q),
      () => this.measurement('risk'),
    );
  }

  async init(): Promise<void> {
    this.requireOpen();
    try {
      await this.http.query(`CREATE DATABASE ${identifier(this.options.database)}`);
    } catch (err) {
      if (!(err instanceof InfluxStatementError)) throw toStoreError(err, 'init');
      // InfluxDB 2.x/3.x answer the v1 API but manage databases themselves (a DBRP mapping).
      this.log.warn({ err: err.message }, 'could not create the database; assuming it is managed outside');
    }
    this.retentionPolicy = await ensureRetentionPolicy(
      this.http,
      this.options.database,
      this.options.retentionDays,
      this.log,
    );
  }

  async write(points: readonly TelemetryPoint[]): Promise<void> {
    this.requireOpen();
    assertStorablePoints(points);
    const lines = points.map((p) => {
      const point = new Point('telemetry')
        .tag('device_id', p.deviceId)
        .tag('model', p.model)
        .timestamp(String(p.ts));
      // Always float, so a metric that happens to arrive as 6 and later as 6.5 keeps one field type.
      for (const name in p.metrics) point.floatField(name, p.metrics[name]!);
      return point.toLineProtocol()!;
    });
    await this.writeLines(lines, 'write');
  }

  async writeEvents(events: readonly StoredEvent[]): Promise<void> {
    this.requireOpen();
    assertStorableEvents(events);
    await this.writeLines(events.map(eventLine), 'event write');
  }

  /** Measurement `risk` in the same retention policy as the telemetry (see risks.ts for the schema). */
  async writeRisks(risks: readonly Risk[]): Promise<void> {
    this.requireOpen();
    assertStorableRisks(risks);
    await this.writeLines(risks.map(riskLine), 'risk write');
  }

  risks(query: RiskQuery): Promise<Risk[]> {
    return this.riskReads.read(query);
  }

  riskTrend(query: RiskTrendQuery): Promise<ComponentTrend[]> {
    return this.riskReads.trend(query);
  }

  latestRisks(deviceIds?: readonly string[]): Promise<Risk[]> {
    return this.riskReads.latest(deviceIds);
  }

  querySeries(query: SeriesQuery): Promise<MetricSeries[]> {
    return this.reads.querySeries(query);
  }

  latest(deviceIds?: readonly string[]): Promise<LatestValues[]> {
    return this.reads.latest(deviceIds);
  }

  windows(query: WindowQuery): Promise<DeviceWindow[]> {
    return this.reads.windows(query);
  }

  async events(query: EventQuery): Promise<StoredEvent[]> {
    const statement = eventsStatement(this.measurement('events'), query);
    return statement ? eventsFrom(await this.select(statement)) : [];
  }

  async ping(): Promise<void> {
    this.requireOpen();
    await this.http.ping();
  }

  /** Retention is InfluxDB's own job (the retention policy); nothing is rolled up here. */
  async compact(): Promise<CompactionResult> {
    this.requireOpen();
    return { rolledUpHours: 0, deletedSamples: 0 };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /**
   * Sends the lines in chunks, one after another. A chunk InfluxDB refuses (HTTP 400, usually a
   * partial write: it stored the rest of the chunk) does not stop the others; the refusals are
   * reported together at the end. An unreachable server stops at once: the caller retries the
   * whole batch, which is harmless because a rewrite replaces identical points.
   */
  private async writeLines(lines: readonly string[], action: string): Promise<void> {
    const refused: string[] = [];
    for (let start = 0; start < lines.length; start += this.linesPerRequest) {
      const chunk = lines.slice(start, start + this.linesPerRequest);
      this.requireOpen();
      try {
        await this.http.write(chunk.join('\n'), this.options.database, this.retentionPolicy);
      } catch (err) {
        const mapped = toStoreError(err, action);
        if (!(mapped instanceof StoreRejectedError)) throw mapped;
        const old = beyondRetention.exec(mapped.message);
        if (old) {
          // A year of demo history, or a device's backlog from before the policy's window.
          const detail = { dropped: Number(old[1]), retentionDays: this.options.retentionDays };
          const message = 'InfluxDB dropped points older than the retention policy';
          if (this.warnedBeyondRetention) this.log.debug(detail, message);
          else this.log.warn(detail, `${message} (warned once)`);
          this.warnedBeyondRetention = true;
          continue;
        }
        const range = `lines ${start}–${start + chunk.length - 1}`;
        this.log.warn(
          { lines: range, err: mapped.message, first: chunk[0]?.slice(0, 200) },
          'InfluxDB refused a write',
        );
        refused.push(`${range}: ${mapped.message}`);
      }
    }
    if (refused.length > 0)
      throw new StoreRejectedError(`InfluxDB refused part of the batch (${refused.join('; ')})`);
  }

  private async select(statement: string): Promise<InfluxSeries[]> {
    this.requireOpen();
    try {
      return await this.http.query(statement, this.options.database);
    } catch (err) {
      if (err instanceof InfluxStatementError) {
        const message = `influx query failed: ${err.message}`;
        throw /database not found/.test(err.message)
          ? new StoreUnavailableError(message, { cause: err })
          : new StoreRejectedError(message, { cause: err });
      }
      throw toStoreError(err, 'query');
    }
  }

  private measurement(name: string): string {
    return this.retentionPolicy
      ? `${identifier(this.retentionPolicy)}.${identifier(name)}`
      : identifier(name);
  }

  private requireOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the InfluxDB telemetry store is closed');
  }
}

export function createInfluxStore(options: InfluxStoreOptions): InfluxTelemetryStore {
  return new InfluxTelemetryStore(options);
}
