import { silentLogger } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import {
  IngestOverloadedError,
  IngestStoppedError,
  StoreRejectedError,
  StoreUnavailableError,
} from '../errors.ts';
import { WriteQueue } from './write-queue.ts';

/** A writer whose availability the test controls; it records what reached "the store". */
function controllableWriter() {
  const written: number[][] = [];
  let down = false;
  let gate: Promise<void> = Promise.resolve();
  let openGate = () => {};
  return {
    written,
    setDown(value: boolean) {
      down = value;
    },
    hold() {
      gate = new Promise((resolve) => (openGate = resolve));
    },
    release() {
      openGate();
    },
    write: async (items: number[]) => {
      await gate;
      if (down) throw new StoreUnavailableError('store is down');
      written.push([...items]);
    },
  };
}

function queueFor(
  writer: ReturnType<typeof controllableWriter>,
  overrides: Partial<ConstructorParameters<typeof WriteQueue<number>>[0]> = {},
) {
  return new WriteQueue<number>({
    write: writer.write,
    weight: () => 1,
    maxBatch: 100,
    maxPending: 1000,
    concurrency: 1,
    retry: { initialMs: 5, maxMs: 20 },
    logger: silentLogger,
    ...overrides,
  });
}

describe('WriteQueue', () => {
  it('resolves an item only after the batch holding it was written', async () => {
    const writer = controllableWriter();
    const queue = queueFor(writer);
    writer.hold();
    let durable = false;
    const done = queue.enqueue(1).then(() => (durable = true));
    await new Promise((r) => setImmediate(r));
    expect(durable).toBe(false);
    writer.release();
    await done;
    expect(writer.written).toEqual([[1]]);
  });

  it('groups items that arrive while a write is in flight into the next batch (group commit)', async () => {
    const writer = controllableWriter();
    const queue = queueFor(writer);
    writer.hold();
    const first = queue.enqueue(0);
    const rest = Array.from({ length: 250 }, (_, i) => queue.enqueue(i + 1));
    writer.release();
    await Promise.all([first, ...rest]);
    // The first write may carry only the first item; every later batch is filled up to maxBatch.
    const sizes = writer.written.map((b) => b.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(251);
    expect(sizes.length).toBeLessThanOrEqual(4);
    expect(Math.max(...sizes)).toBe(100);
  });

  it('holds data through a store outage and writes all of it when the store returns', async () => {
    const writer = controllableWriter();
    const retries: number[] = [];
    const queue = queueFor(writer, { onRetry: (_e, attempt) => retries.push(attempt) });
    writer.setDown(true);
    const all = Array.from({ length: 30 }, (_, i) => queue.enqueue(i));
    while (retries.length < 3) await new Promise((r) => setTimeout(r, 5));
    expect(queue.isStoreUp).toBe(false);
    expect(queue.pending).toBe(30);
    writer.setDown(false);
    await Promise.all(all);
    expect(writer.written.flat()).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(queue.isStoreUp).toBe(true);
    expect(queue.pending).toBe(0);
  });

  it('makes a caller beyond its bound wait for room instead of growing', async () => {
    const writer = controllableWriter();
    const queue = queueFor(writer, { maxPending: 10 });
    writer.hold();
    const accepted = Array.from({ length: 10 }, (_, i) => queue.enqueue(i));
    let late = false;
    const waiting = queue.enqueue(99).then(() => (late = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(queue.pending).toBe(10);
    expect(late).toBe(false);
    writer.release();
    await Promise.all([...accepted, waiting]);
    expect(writer.written.flat()).toContain(99);
  });

  it('refuses a caller that waited for room longer than its admission timeout', async () => {
    const writer = controllableWriter();
    const queue = queueFor(writer, { maxPending: 10, admitTimeoutMs: 30 });
    writer.hold();
    const accepted = Array.from({ length: 10 }, (_, i) => queue.enqueue(i));
    await expect(queue.enqueue(99)).rejects.toBeInstanceOf(IngestOverloadedError);
    writer.release();
    await Promise.all(accepted);
    await expect(queue.enqueue(100)).resolves.toBeUndefined();
  });

  it('drops a batch the store refuses as invalid instead of blocking everything behind it', async () => {
    const rejected: number[][] = [];
    const queue = new WriteQueue<number>({
      write: async (items) => {
        if (items.includes(13)) throw new StoreRejectedError('field type conflict');
      },
      weight: () => 1,
      maxBatch: 1,
      maxPending: 100,
      concurrency: 1,
      logger: silentLogger,
      onRejected: (items) => rejected.push(items),
    });
    await Promise.all([queue.enqueue(12), queue.enqueue(13), queue.enqueue(14)]);
    expect(rejected).toEqual([[13]]);
  });

  it('on stop, writes what it can and fails the rest so senders redeliver', async () => {
    const writer = controllableWriter();
    const queue = queueFor(writer);
    writer.setDown(true);
    const pending = queue.enqueue(1);
    const outcome = pending.then(
      () => 'written',
      (e: Error) => e,
    );
    await queue.stop(50);
    expect(await outcome).toBeInstanceOf(IngestStoppedError);
    await expect(queue.enqueue(2)).rejects.toBeInstanceOf(IngestStoppedError);
  });

  it('writes several batches at once when concurrency allows', async () => {
    let inFlight = 0;
    let peak = 0;
    const queue = new WriteQueue<number>({
      write: async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
      },
      weight: () => 1,
      maxBatch: 10,
      maxPending: 1000,
      concurrency: 3,
      logger: silentLogger,
    });
    await Promise.all(Array.from({ length: 100 }, (_, i) => queue.enqueue(i)));
    expect(peak).toBe(3);
  });
});
