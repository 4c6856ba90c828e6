import { generateHistory } from '@aftercare/device-sim';
import type { TelemetryPoint, TelemetryStore } from '@aftercare/ingest';

/** Realistic samples from the simulator: `devices` devices, hourly, enough hours to reach `samples`. */
export function simulatedPoints(samples: number, devices: number, seed = 7): TelemetryPoint[] {
  const hours = Math.ceil(samples / devices);
  const to = Date.UTC(2026, 9, 1);
  const from = to - hours * 3_600_000;
  const points: TelemetryPoint[] = [];
  for (const tick of generateHistory({ seed, devices, from, to, idPrefix: 'bench-' })) {
    points.push({
      deviceId: tick.deviceId,
      model: tick.model,
      ts: tick.sample.ts,
      metrics: tick.sample.metrics,
    });
    if (points.length >= samples) break;
  }
  return points;
}

/**
 * The store's own batched write rate with no platform in front: the same batch size ingest uses,
 * `writers` batches in flight at once (ingest uses 1 for SQLite and 3 for InfluxDB).
 */
export async function measureRawWrites(
  store: TelemetryStore,
  points: readonly TelemetryPoint[],
  batch: number,
  writers: number,
): Promise<number> {
  const batches: TelemetryPoint[][] = [];
  for (let i = 0; i < points.length; i += batch) batches.push(points.slice(i, i + batch));
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < batches.length) await store.write(batches[next++]!);
    }),
  );
  return points.length / ((performance.now() - started) / 1000);
}
