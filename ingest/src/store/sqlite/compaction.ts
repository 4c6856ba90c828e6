import type Database from 'better-sqlite3';
import type { CompactionResult } from '../telemetry-store.ts';

export const hourMs = 3_600_000;
const dayMs = 86_400_000;
/** Hours retired per step: a backfilled year is then thousands of short steps, not one long one. */
const sliceMs = 6 * hourMs;
/** A transaction takes steps until this much time has passed, then commits and yields to the event loop. */
const budgetMs = 25;

const hourOf = (ts: number) => Math.floor(ts / hourMs) * hourMs;

interface HourRange {
  from: number;
  /** Start of the last touched hour. */
  to: number;
}

type Step = () => void;

const aggregate = `SELECT device, metric, (ts / ${hourMs}) * ${hourMs} AS hour, min(value), max(value), sum(value), count(*)
    FROM samples
   WHERE device = @device AND metric IN (SELECT metric FROM device_metrics WHERE device = @device)`;

/**
 * Keeps `rollup_hourly` in step with the raw samples and enforces raw retention. Each device's
 * raw_floor is the persisted watermark: below it only the rollup exists, and every step that deletes
 * raw rows moves it in the same transaction, so neither a reader nor a crash ever finds an hour that
 * is in neither table.
 */
export class Compactor {
  private dirty = new Map<number, HourRange>();
  private running: Promise<CompactionResult> | undefined;
  private readonly recompute: Database.Statement;
  private readonly mergeLate: Database.Statement;
  private readonly deleteBelow: Database.Statement;
  private readonly setFloor: Database.Statement;
  private readonly oldest: Database.Statement<{ device: number }, { ts: number | null }>;
  private readonly floors: Database.Statement<[], { id: number; raw_floor: number }>;
  private readonly setMeta: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly retentionDays: number,
  ) {
    this.recompute = db.prepare(
      `INSERT OR REPLACE INTO rollup_hourly (device, metric, hour, min, max, sum, count)
       ${aggregate} AND ts >= @from AND ts < @to GROUP BY device, metric, hour`,
    );
    // Raw samples that arrive for hours already rolled up are added to the aggregate. Rewriting such
    // a sample after this ran counts it twice in that hour's mean (min and max stay right).
    this.mergeLate = db.prepare(
      `INSERT INTO rollup_hourly (device, metric, hour, min, max, sum, count)
       ${aggregate} AND ts < @floor GROUP BY device, metric, hour
       ON CONFLICT (device, metric, hour) DO UPDATE SET
         min = min(rollup_hourly.min, excluded.min), max = max(rollup_hourly.max, excluded.max),
         sum = rollup_hourly.sum + excluded.sum, count = rollup_hourly.count + excluded.count`,
    );
    this.deleteBelow = db.prepare(
      `DELETE FROM samples WHERE device = @device
         AND metric IN (SELECT metric FROM device_metrics WHERE device = @device) AND ts < @floor`,
    );
    this.setFloor = db.prepare('UPDATE devices SET raw_floor = @floor WHERE id = @device');
    this.oldest = db.prepare(
      `SELECT min(ts) AS ts FROM samples
        WHERE device = @device AND metric IN (SELECT metric FROM device_metrics WHERE device = @device)`,
    );
    this.floors = db.prepare('SELECT id, raw_floor FROM devices');
    this.setMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  }

  /** Called after each committed write with the time span it touched on a device. */
  markDirty(device: number, minTs: number, maxTs: number): void {
    const range = this.dirty.get(device);
    const from = hourOf(minTs);
    const to = hourOf(maxTs);
    if (!range) this.dirty.set(device, { from, to });
    else {
      range.from = Math.min(range.from, from);
      range.to = Math.max(range.to, to);
    }
  }

  /** Concurrent calls share one run. */
  compact(now: number): Promise<CompactionResult> {
    this.running ??= this.run(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(now: number): Promise<CompactionResult> {
    const newFloor = hourOf(now - this.retentionDays * dayMs);
    const dirty = this.dirty;
    this.dirty = new Map();
    const result: CompactionResult = { rolledUpHours: 0, deletedSamples: 0 };
    const steps = this.steps(this.floors.all(), newFloor, dirty, result);
    const runForABit = this.db.transaction((): boolean => {
      const started = performance.now();
      for (let next = steps.next(); !next.done; next = steps.next()) {
        next.value();
        if (performance.now() - started > budgetMs) return false;
      }
      return true;
    });
    try {
      while (!runForABit()) await new Promise<void>((resolve) => setImmediate(resolve));
      this.setMeta.run('compacted_at', String(now));
    } catch (err) {
      // Recomputing an hour twice is harmless; forgetting one is not.
      for (const [device, range] of dirty) this.markDirty(device, range.from, range.to);
      throw err;
    }
    return result;
  }

  private *steps(
    devices: { id: number; raw_floor: number }[],
    newFloor: number,
    dirty: Map<number, HourRange>,
    result: CompactionResult,
  ): Generator<Step> {
    for (const { id: device, raw_floor: floor } of devices) {
      if (floor > 0) {
        yield () => {
          result.rolledUpHours += this.mergeLate.run({ device, floor }).changes;
          result.deletedSamples += this.deleteBelow.run({ device, floor }).changes;
        };
      }
      let agedTo = floor;
      if (newFloor > floor) {
        const oldest = floor > 0 ? floor : this.oldest.get({ device })?.ts;
        for (let from = hourOf(oldest ?? newFloor); from < newFloor; from += sliceMs) {
          const to = Math.min(from + sliceMs, newFloor);
          yield () => {
            result.rolledUpHours += this.recompute.run({ device, from, to }).changes;
            result.deletedSamples += this.deleteBelow.run({ device, floor: to }).changes;
            this.setFloor.run({ device, floor: to });
          };
        }
        agedTo = newFloor;
        yield () => this.setFloor.run({ device, floor: newFloor });
      }
      // Hours written since the last run are rolled up now as well, so the rollup is current for
      // every hour compaction has seen, not only for the hours it is about to delete.
      const range = dirty.get(device);
      if (range && range.to + hourMs > agedTo) {
        const from = Math.max(range.from, agedTo);
        yield () => {
          result.rolledUpHours += this.recompute.run({ device, from, to: range.to + hourMs }).changes;
        };
      }
    }
  }
}
