import type { Fleet, GroundTruthRecord } from '@aftercare/device-sim';
import type { StoredEvent, TelemetryPoint, TelemetryStore } from '@aftercare/ingest';
import { HOUR_MS } from './backtest-types.ts';

/**
 * The simulated fleet feeding the real telemetry store, as ingest would have: hourly samples and
 * firmware events. Transport (MQTT, ingest's batching) is not what the backtest tests, so the ticks go
 * straight into the store, held in memory until `flush` (before each scoring run): one transaction per
 * virtual day instead of one per hour keeps the store's commits from dominating the run.
 */
export class FleetTelemetry {
  private points: TelemetryPoint[] = [];
  private events: StoredEvent[] = [];

  constructor(
    private readonly fleet: Fleet,
    private readonly store: Pick<TelemetryStore, 'write' | 'writeEvents'>,
  ) {}

  /** Steps every device through the hour ending at `ts`; answers the failures of the hour. */
  step(ts: number): GroundTruthRecord[] {
    const failures: GroundTruthRecord[] = [];
    for (const tick of this.fleet.sampleAt(ts, HOUR_MS)) {
      this.points.push({
        deviceId: tick.deviceId,
        model: tick.model,
        ts: tick.sample.ts,
        metrics: tick.sample.metrics,
      });
      for (const e of tick.events) this.events.push({ ...e, deviceId: tick.deviceId, model: tick.model });
      for (const g of tick.groundTruth) failures.push(g);
    }
    return failures;
  }

  async flush(): Promise<void> {
    const [points, events] = [this.points, this.events];
    this.points = [];
    this.events = [];
    // Device by device: the store's key leads with the device, so a day of the fleet written in time
    // order would scatter over the whole b-tree (ten times slower here, and slower to read back).
    points.sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.ts - b.ts));
    if (points.length > 0) await this.store.write(points);
    if (events.length > 0) await this.store.writeEvents(events);
  }
}
