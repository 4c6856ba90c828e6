import type { RejectionReason } from '@aftercare/core';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface IngestMetrics {
  received(kind: 'telemetry' | 'events', samples: number): void;
  written(samples: number, ms: number): void;
  rejected(reason: RejectionReason): void;
  duplicate(): void;
  retry(): void;
  storeUp(up: boolean): void;
}

export function createIngestMetrics(registry: Registry, pending: () => number): IngestMetrics {
  const registers = [registry];
  const received = new Counter({
    name: 'aftercare_ingest_samples_received_total',
    help: 'Samples (telemetry) and events accepted by validation',
    labelNames: ['kind'],
    registers,
  });
  const written = new Counter({
    name: 'aftercare_ingest_samples_written_total',
    help: 'Samples durably written',
    registers,
  });
  const rejected = new Counter({
    name: 'aftercare_ingest_rejected_total',
    help: 'Messages rejected, by reason',
    labelNames: ['reason'],
    registers,
  });
  const duplicates = new Counter({
    name: 'aftercare_ingest_duplicates_total',
    help: 'Redelivered samples dropped by seq',
    registers,
  });
  const retries = new Counter({
    name: 'aftercare_ingest_store_retries_total',
    help: 'Store writes retried',
    registers,
  });
  const up = new Gauge({
    name: 'aftercare_ingest_store_up',
    help: '1 when the last store write succeeded',
    registers,
  });
  up.set(1);
  new Gauge({
    name: 'aftercare_ingest_pending_samples',
    help: 'Samples accepted and not yet durable',
    registers,
    collect() {
      this.set(pending());
    },
  });
  const writeSeconds = new Histogram({
    name: 'aftercare_ingest_write_seconds',
    help: 'Duration of one batch write to the store',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  return {
    received: (kind, samples) => received.inc({ kind }, samples),
    written: (samples, ms) => {
      written.inc(samples);
      writeSeconds.observe(ms / 1000);
    },
    rejected: (reason) => rejected.inc({ reason }),
    duplicate: () => duplicates.inc(),
    retry: () => retries.inc(),
    storeUp: (isUp) => up.set(isUp ? 1 : 0),
  };
}
