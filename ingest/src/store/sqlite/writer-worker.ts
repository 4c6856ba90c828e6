import { parentPort, workerData } from 'node:worker_threads';
import type { Risk } from '@aftercare/core';
import type { StoredEvent, TelemetryPoint } from '../telemetry-store.ts';
import { createSqliteStore } from './sqlite-store.ts';

/**
 * The write half of the embedded store, on its own thread: SQLite's inserts are synchronous, and on
 * the main thread they would stop the broker and ingest from reading sockets while a batch commits.
 */
export type WriterRequest =
  | { id: number; op: 'write'; points: TelemetryPoint[] }
  | { id: number; op: 'writeEvents'; events: StoredEvent[] }
  | { id: number; op: 'writeRisks'; risks: Risk[] }
  | { id: number; op: 'compact'; now: number }
  | { id: number; op: 'close' };

export type WriterReply =
  | { id: number; ok: true; value?: unknown }
  | { id: number; ok: false; error: { name: string; code?: string; message: string } };

const options = workerData as { file: string; retentionDays: number };
const store = createSqliteStore({ file: options.file, retentionDays: options.retentionDays });
const port = parentPort!;

const ready = store.init();

port.on('message', async (request: WriterRequest) => {
  try {
    await ready;
    let value: unknown;
    if (request.op === 'write') await store.write(request.points);
    else if (request.op === 'writeEvents') await store.writeEvents(request.events);
    else if (request.op === 'writeRisks') await store.writeRisks(request.risks);
    else if (request.op === 'compact') value = await store.compact(request.now);
    else await store.close();
    port.postMessage({ id: request.id, ok: true, value } satisfies WriterReply);
  } catch (err) {
    const error = err as Error & { code?: string };
    port.postMessage({
      id: request.id,
      ok: false,
      error: { name: error.name, code: error.code, message: error.message },
    } satisfies WriterReply);
  }
});

ready.then(
  () => port.postMessage({ id: 0, ok: true } satisfies WriterReply),
  (err: Error & { code?: string }) =>
    port.postMessage({
      id: 0,
      ok: false,
      error: { name: err.name, code: err.code, message: err.message },
    } satisfies WriterReply),
);
