import type Database from 'better-sqlite3';
import type { CompactionResult } from '../telemetry-store.ts';

export const hourMs = 3_600_000;
const dayMs = 86_400_000;
/** Hours retired per step: a backfilled year is then thousands of short steps, not one long one. */
const sliceMs = 6 * hourMs;
/** A transaction takes steps until this much time has passed, then commits and yields to the event loop. */
const budgetMs = 25;

export const hourOf = (ts: number) => Math.floor(ts / hourMs) * hourMs;

type Step = () => void;

const aggregate = `SELECT device, metric, (ts / ${hourMs}) * ${hourMs} AS hour, min(value), max(value), sum(value), count(*)
    FROM samples
   WHERE device = @device AND metric IN (SELECT metric FROM device_metrics WHERE device = @device)`;

/**
 * Keeps `rollup_hourly` in step with the raw samples and enforces raw retention. Each device's
 * raw_floor is the persisted watermark: below it only the rollup exists, and every step that deletes
 * raw rows moves it in the same transaction, so neither a reader nor a crash ever finds an hour that
 * is in neither table. Each write widens the device's dirty range (dirty_from…dirty_to, hour starts);
 * the step that rolls those hours up clears it in the same transaction, so above raw_floor every hour
 * outside the dirty range is exact in the rollup — what hourly window reads rely on.
 */
export class Compactor {
  private running: Promise<CompactionResult> | undefined;
  private readonly recompute: Database.Statement;
  private readonly mergeLate: Database.Statement;
  private readonly deleteBelow: Database.Statement;
  private readonly setFloor: Database.Statement;
  private readonly oldest: Database.Statement<{ device: number }, { ts: number | null }>;
  private readonly floors: Database.Statement<[], { id: number; raw_floor: number; dirty: number }>;
  private readonly dirtyOf: Database.Statement<[number], { from: number | null; to: number | null }>;
  private readonly clearDirty: Database.Statement<[number]>;
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
    this.floors = db.prepare('SELECT id, raw_floor, dirty_from IS NOT NULL AS dirty FROM devices');
    this.dirtyOf = db.prepare('SELECT dirty_from AS "from", dirty_to AS "to" FROM devices WHERE id = ?');
    this.clearDirty = db.prepare('UPDATE devices SET dirty_from = NULL, dirty_to = NULL WHERE id = ?');
    this.setMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
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
    const result: CompactionResult = { rolledUpHours: 0, deletedSamples: 0 };
    const steps = this.steps(this.floors.all(), newFloor, result);
    const runForABit = this.db.transaction((): boolean => {
      const started = performance.now();
      for (let next = steps.next(); !next.done; next = steps.next()) {
        next.value();
        if (performance.now() - started > budgetMs) return false;
      }
      return true;
    });
    // A failed step rolls back with its transaction, dirty range included: the next run redoes it.
    while (!runForABit()) await new Promise<void>((resolve) => setImmediate(resolve));
    this.setMeta.run('compacted_at', String(now));
    return result;
  }

  private *steps(
    devices: { id: number; raw_floor: number; dirty: number }[],
    newFloor: number,
    result: CompactionResult,
  ): Generator<Step> {
    for (const { id: device, raw_floor: floor, dirty } of devices) {
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
      // every hour compaction has seen, not only for the hours it is about to delete. The range is
      // read inside the step's transaction: writes made while this run yielded are included (a
      // device first written to meanwhile waits for the next run).
      if (!dirty) continue;
      yield () => {
        const range = this.dirtyOf.get(device);
        if (range?.from == null || range.to == null) return;
        if (range.to + hourMs > agedTo) {
          const from = Math.max(range.from, agedTo);
          result.rolledUpHours += this.recompute.run({ device, from, to: range.to + hourMs }).changes;
        }
        this.clearDirty.run(device);
      };
    }
  }
}
