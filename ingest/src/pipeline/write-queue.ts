import type { Logger } from '@aftercare/core';
import {
  IngestOverloadedError,
  IngestStoppedError,
  StoreRejectedError,
  StoreUnavailableError,
} from '../errors.ts';

export interface WriteQueueOptions<T> {
  /** Writes one batch durably; throws StoreUnavailableError to be retried. */
  write: (items: T[]) => Promise<void>;
  /** How much an item counts against the bounds (e.g. samples in it). */
  weight: (item: T) => number;
  /** Largest batch handed to `write`, in weight units. */
  maxBatch: number;
  /**
   * Most weight held unwritten. Beyond it `enqueue` waits for room (its caller stops reading:
   * backpressure) and refuses with IngestOverloadedError only after `admitTimeoutMs`.
   */
  maxPending: number;
  admitTimeoutMs?: number;
  /** Batches written at once (InfluxDB gains from 2–4, SQLite does not). */
  concurrency: number;
  retry?: { initialMs: number; maxMs: number };
  logger: Logger;
  onWritten?: (items: number, weight: number, ms: number) => void;
  onRetry?: (error: Error, attempt: number, delayMs: number) => void;
  onRejected?: (items: T[], error: Error) => void;
  onStoreState?: (up: boolean) => void;
}

interface Entry<T> {
  item: T;
  weight: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Group commit: items wait here while a write is in flight and go out together in the next batch,
 * so a write happens at once when the store is idle and batches grow by themselves under load.
 * `enqueue` resolves only when its item is durable; a store outage is retried with backoff for as
 * long as it lasts, and the bound on pending weight makes callers stop acknowledging instead of
 * growing memory without limit.
 */
export class WriteQueue<T> {
  private readonly queue: Entry<T>[] = [];
  private head = 0;
  private pendingWeight = 0;
  private inFlight = 0;
  private stopped = false;
  private pumpScheduled = false;
  private roomWaiters: { weight: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  private storeUp = true;
  private idleWaiters: (() => void)[] = [];
  private readonly wakers = new Set<() => void>();

  constructor(private readonly options: WriteQueueOptions<T>) {}

  get pending(): number {
    return this.pendingWeight;
  }

  get isStoreUp(): boolean {
    return this.storeUp;
  }

  async enqueue(item: T): Promise<void> {
    if (this.stopped) throw new IngestStoppedError();
    const weight = this.options.weight(item);
    if (!this.hasRoom(weight)) await this.waitForRoom(weight);
    if (this.stopped) throw new IngestStoppedError();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, weight, resolve, reject });
      this.pendingWeight += weight;
      this.schedulePump();
    });
  }

  private hasRoom(weight: number): boolean {
    return this.pendingWeight === 0 || this.pendingWeight + weight <= this.options.maxPending;
  }

  /** Waiters are bounded by the callers: each holds back one connection's reading while it waits. */
  private waitForRoom(weight: number): Promise<void> {
    const timeoutMs = this.options.admitTimeoutMs ?? 30_000;
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        weight,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject,
      };
      const timer = setTimeout(() => {
        this.roomWaiters = this.roomWaiters.filter((w) => w !== waiter);
        reject(
          new IngestOverloadedError(
            `${this.pendingWeight} samples await the store (bound ${this.options.maxPending})`,
          ),
        );
      }, timeoutMs);
      this.roomWaiters.push(waiter);
    });
  }

  private admitWaiters(): void {
    // Room is counted for every waiter let in, since their items only arrive on a later tick.
    let admitted = 0;
    while (this.roomWaiters.length > 0) {
      const next = this.roomWaiters[0]!;
      const pending = this.pendingWeight + admitted;
      if (pending > 0 && pending + next.weight > this.options.maxPending) return;
      this.roomWaiters.shift();
      admitted += next.weight;
      next.resolve();
    }
  }

  /** Resolves when everything enqueued so far is written (or stop() gave up on it). */
  drain(): Promise<void> {
    if (this.pendingWeight === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops taking items; waits up to `timeoutMs` for what is pending to be written, then rejects
   * the rest so their senders redeliver (they were never acknowledged).
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopped = true;
    for (const waiter of this.roomWaiters) waiter.reject(new IngestStoppedError());
    this.roomWaiters = [];
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.drain(), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    for (const wake of this.wakers) wake();
    for (let i = this.head; i < this.queue.length; i++) this.queue[i]!.reject(new IngestStoppedError());
    this.queue.length = 0;
    this.head = 0;
    this.pendingWeight = 0;
    this.settleIdle();
  }

  /**
   * Waits out the current event-loop turn before writing, so every message whose socket data
   * arrived in this turn joins the batch. Without it a synchronous store (SQLite) would commit
   * the first sample alone, block the loop, and repeat: one fsync per message.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.head < this.queue.length) {
      const batch = this.takeBatch();
      this.inFlight++;
      void this.writeWithRetry(batch).finally(() => {
        this.inFlight--;
        this.admitWaiters();
        this.schedulePump();
        this.settleIdle();
      });
    }
  }

  private takeBatch(): Entry<T>[] {
    const batch: Entry<T>[] = [];
    let weight = 0;
    while (this.head < this.queue.length) {
      const entry = this.queue[this.head]!;
      if (batch.length > 0 && weight + entry.weight > this.options.maxBatch) break;
      batch.push(entry);
      weight += entry.weight;
      this.head++;
    }
    // Compact the array now and then so a long-running queue does not keep a dead prefix.
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return batch;
  }

  private async writeWithRetry(batch: Entry<T>[]): Promise<void> {
    const retry = this.options.retry ?? { initialMs: 100, maxMs: 5_000 };
    const weight = batch.reduce((sum, e) => sum + e.weight, 0);
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        await this.options.write(batch.map((e) => e.item));
        this.setStoreUp(true);
        this.pendingWeight -= weight;
        this.options.onWritten?.(batch.length, weight, performance.now() - started);
        for (const entry of batch) entry.resolve();
        return;
      } catch (error) {
        const err = error as Error;
        if (err instanceof StoreRejectedError) {
          // The store refuses this data itself: retrying would block every device behind it forever.
          this.pendingWeight -= weight;
          this.options.logger.error({ err, items: batch.length }, 'store rejected a batch; it is dropped');
          this.options.onRejected?.(
            batch.map((e) => e.item),
            err,
          );
          for (const entry of batch) entry.resolve();
          return;
        }
        if (!(err instanceof StoreUnavailableError)) {
          this.options.logger.error({ err }, 'unexpected error writing a batch; retrying');
        }
        this.setStoreUp(false);
        if (this.stopped) {
          this.pendingWeight -= weight;
          for (const entry of batch) entry.reject(new IngestStoppedError());
          return;
        }
        const base = Math.min(retry.maxMs, retry.initialMs * 2 ** Math.min(attempt - 1, 16));
        const delay = Math.round(base / 2 + Math.random() * (base / 2));
        this.options.onRetry?.(err, attempt, delay);
        if (attempt === 1 || attempt % 10 === 0) {
          this.options.logger.warn(
            { err: err.message, attempt, delayMs: delay },
            'store unavailable; holding data and retrying',
          );
        }
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            this.wakers.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, delay);
          this.wakers.add(wake);
        });
      }
    }
  }

  private setStoreUp(up: boolean): void {
    if (this.storeUp === up) return;
    this.storeUp = up;
    this.options.logger[up ? 'info' : 'warn'](
      { storeUp: up },
      up ? 'store is back; catching up' : 'store is down',
    );
    this.options.onStoreState?.(up);
  }

  private settleIdle(): void {
    if (this.pendingWeight !== 0 || this.inFlight !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) waiter();
  }
}
