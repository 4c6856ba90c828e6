import { Worker } from 'node:worker_threads';
import {
  AftercareError,
  type ComponentTrend,
  type Logger,
  type MetricSeries,
  type Risk,
  silentLogger,
  ValidationError,
} from '@aftercare/core';
import { StoreRejectedError, StoreUnavailableError } from '../../errors.ts';
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
import { type SqliteStoreOptions, SqliteTelemetryStore } from './sqlite-store.ts';
import type { WriterReply, WriterRequest } from './writer-worker.ts';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
/** A request before it gets its id: Omit applied to each member of the union. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Request = WithoutId<WriterRequest>;

/**
 * The embedded store with its writes on a worker thread and its reads on the caller's: SQLite in
 * WAL mode lets both connections work at once, so ingest keeps reading sockets while a batch
 * commits, and the two cores of a small machine both do work. Same contract as the inline store.
 */
export class WorkerBackedSqliteStore implements TelemetryStore {
  readonly kind = 'sqlite' as const;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly reader: SqliteTelemetryStore;
  private readonly log: Logger;
  private closed = false;

  constructor(private readonly options: SqliteStoreOptions) {
    this.reader = new SqliteTelemetryStore(options);
    this.log = (options.logger ?? silentLogger).child({ component: 'sqlite-writer' });
  }

  async init(): Promise<void> {
    this.closed = false;
    await this.startWorker();
    await this.reader.init();
  }

  private startWorker(): Promise<void> {
    const worker = new Worker(new URL('./writer-worker-entry.mjs', import.meta.url), {
      workerData: { file: this.options.file, retentionDays: this.options.retentionDays },
    });
    this.worker = worker;
    const started = new Promise<void>((resolve, reject) =>
      this.pending.set(0, { resolve: () => resolve(), reject }),
    );
    worker.on('message', (reply: WriterReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(reviveError(reply.error));
    });
    worker.on('error', (err) => this.log.error({ err }, 'sqlite writer thread failed'));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      // Whatever was in flight is not known to be durable: the caller retries it.
      for (const [, waiter] of this.pending)
        waiter.reject(new StoreUnavailableError(`sqlite writer thread exited (${code})`));
      this.pending.clear();
    });
    return started;
  }

  private async call(request: Request): Promise<unknown> {
    if (this.closed) throw new StoreUnavailableError('telemetry store is closed');
    if (!this.worker) await this.startWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ ...request, id });
    });
  }

  async write(points: readonly TelemetryPoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.call({ op: 'write', points: points as TelemetryPoint[] });
  }

  async writeEvents(events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.call({ op: 'writeEvents', events: events as StoredEvent[] });
  }

  async writeRisks(risks: readonly Risk[]): Promise<void> {
    if (risks.length === 0) return;
    await this.call({ op: 'writeRisks', risks: risks as Risk[] });
  }

  risks(query: RiskQuery): Promise<Risk[]> {
    return this.reader.risks(query);
  }

  riskTrend(query: RiskTrendQuery): Promise<ComponentTrend[]> {
    return this.reader.riskTrend(query);
  }

  latestRisks(deviceIds?: readonly string[]): Promise<Risk[]> {
    return this.reader.latestRisks(deviceIds);
  }

  querySeries(query: SeriesQuery): Promise<MetricSeries[]> {
    return this.reader.querySeries(query);
  }

  latest(deviceIds?: readonly string[]): Promise<LatestValues[]> {
    return this.reader.latest(deviceIds);
  }

  windows(query: WindowQuery): Promise<DeviceWindow[]> {
    return this.reader.windows(query);
  }

  events(query: EventQuery): Promise<StoredEvent[]> {
    return this.reader.events(query);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new StoreUnavailableError('telemetry store is closed');
    await this.reader.ping();
  }

  async compact(now: number): Promise<CompactionResult> {
    return (await this.call({ op: 'compact', now })) as CompactionResult;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const worker = this.worker;
    if (worker) {
      try {
        await this.call({ op: 'close' });
      } catch (err) {
        this.log.warn({ err }, 'closing the sqlite writer failed');
      }
      await worker.terminate();
    }
    this.closed = true;
    await this.reader.close();
  }
}

function reviveError(error: { name: string; code?: string; message: string }): Error {
  switch (error.code) {
    case 'INGEST_STORE_UNAVAILABLE':
      return new StoreUnavailableError(error.message);
    case 'INGEST_STORE_REJECTED':
      return new StoreRejectedError(error.message);
    case 'VALIDATION_FAILED':
      return new ValidationError(error.message);
    default:
      return error.code
        ? new AftercareError(error.code, error.message)
        : new StoreUnavailableError(error.message);
  }
}

export function createWorkerBackedSqliteStore(options: SqliteStoreOptions): WorkerBackedSqliteStore {
  return new WorkerBackedSqliteStore(options);
}
