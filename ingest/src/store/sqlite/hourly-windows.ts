import type Database from 'better-sqlite3';
import { hourMs } from './compaction.ts';

/** [from, to), epoch ms. */
type Range = readonly [number, number];

interface DeviceState {
  id: number;
  raw_floor: number;
  dirty_from: number | null;
  dirty_to: number | null;
}

/** Sum and count per bucket of one metric; allocated when the metric has data in the window. */
interface Accumulator {
  sums: Float64Array;
  counts: Float64Array;
}

function union(ranges: Range[]): Range[] {
  const sorted = ranges.filter(([from, to]) => from < to).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = merged.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

function minus([from, to]: Range, [cutFrom, cutTo]: Range): Range[] {
  if (cutTo <= from || cutFrom >= to) return [[from, to]];
  const pieces: Range[] = [];
  if (from < cutFrom) pieces.push([from, cutFrom]);
  if (cutTo < to) pieces.push([cutTo, to]);
  return pieces;
}

/**
 * windows() for steps that are whole hours, the models' read: whole hours come from the hourly
 * rollup wherever compaction has made it exact (above raw_floor, outside the device's dirty range),
 * and everything else from the raw samples: the hours written since the last compaction, the part
 * hours at either end of the range, and late samples below raw_floor. Below raw_floor the rollup is
 * all there is, as for every read. Each (device, metric, range) is one primary-key range seek, and
 * the buckets are summed here rather than in a GROUP BY, so a read of many devices streams through
 * the b-trees without building a temporary table.
 */
export class HourlyWindows {
  private readonly states: Database.Statement;
  private readonly rollup: Database.Statement;
  private readonly raw: Database.Statement;
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
    this.states = db.prepare(
      'SELECT d.id, d.raw_floor, d.dirty_from, d.dirty_to FROM json_each(?) j CROSS JOIN devices d WHERE d.id = j.value',
    );
    // One row per metric with its hours packed as JSON arrays: crossing into JavaScript costs more
    // per row than parsing a number does (SQLite writes reals with 17 digits, so they round-trip).
    this.rollup = db
      .prepare(
        `SELECT metric, json_group_array(hour), json_group_array(sum), json_group_array(count) FROM rollup_hourly
          WHERE device = ? AND metric IN (SELECT value FROM json_each(?)) AND hour >= ? AND hour < ?
          GROUP BY metric`,
      )
      .raw(true);
    this.raw = db
      .prepare(
        `SELECT metric, ts, value FROM samples
          WHERE device = ? AND metric IN (SELECT value FROM json_each(?)) AND ts >= ? AND ts < ?`,
      )
      .raw(true);
  }

  static handles(stepMs: number): boolean {
    return stepMs % hourMs === 0;
  }

  /**
   * Per device of `devices`, per metric with data, the mean of each bucket (null where empty). One
   * read transaction: the dirty ranges and floors it plans with are those of the rows it reads,
   * whatever another connection writes or compacts meanwhile.
   */
  read(
    devices: readonly number[],
    metricsOf: (device: number) => readonly number[],
    query: { from: number; to: number; stepMs: number; buckets: number },
  ): Map<number, Map<number, (number | null)[]>> {
    return this.db.transaction(() => this.readInSnapshot(devices, metricsOf, query))();
  }

  private readInSnapshot(
    devices: readonly number[],
    metricsOf: (device: number) => readonly number[],
    query: { from: number; to: number; stepMs: number; buckets: number },
  ): Map<number, Map<number, (number | null)[]>> {
    const { from, to, stepMs, buckets } = query;
    const firstIndex = Math.floor(from / stepMs);
    const wholeFrom = Math.ceil(from / hourMs) * hourMs;
    const wholeTo = Math.floor(to / hourMs) * hourMs;
    const result = new Map<number, Map<number, (number | null)[]>>();
    const states = this.states.all(JSON.stringify(devices)) as DeviceState[];
    let lastMetrics: readonly number[] | undefined;
    let metricsJson = '[]';
    for (const state of states) {
      const metrics = metricsOf(state.id);
      if (metrics !== lastMetrics) {
        lastMetrics = metrics;
        metricsJson = JSON.stringify(metrics);
      }
      const { rollupRanges, rawRanges } = this.plan(state, from, to, wholeFrom, wholeTo);
      const accumulators = new Map<number, Accumulator>();
      const accumulatorOf = (metric: number) => {
        let acc = accumulators.get(metric);
        if (!acc) {
          acc = { sums: new Float64Array(buckets), counts: new Float64Array(buckets) };
          accumulators.set(metric, acc);
        }
        return acc;
      };
      for (const [a, b] of rollupRanges) {
        const rows = this.rollup.all(state.id, metricsJson, a, b) as [number, string, string, string][];
        for (const [metric, hoursJson, sumsJson, countsJson] of rows) {
          const { sums, counts } = accumulatorOf(metric);
          const hours = JSON.parse(hoursJson) as number[];
          const hourSums = JSON.parse(sumsJson) as number[];
          const hourCounts = JSON.parse(countsJson) as number[];
          for (let i = 0; i < hours.length; i++) {
            const index = Math.floor(hours[i]! / stepMs) - firstIndex;
            sums[index]! += hourSums[i]!;
            counts[index]! += hourCounts[i]!;
          }
        }
      }
      for (const [a, b] of rawRanges) {
        for (const [metric, ts, value] of this.raw.all(state.id, metricsJson, a, b) as [
          number,
          number,
          number,
        ][]) {
          const { sums, counts } = accumulatorOf(metric);
          const index = Math.floor(ts / stepMs) - firstIndex;
          sums[index]! += value;
          counts[index]! += 1;
        }
      }
      const perMetric = new Map<number, (number | null)[]>();
      for (const [metric, { sums, counts }] of accumulators) {
        const means = new Array<number | null>(buckets);
        for (let i = 0; i < buckets; i++) means[i] = counts[i]! > 0 ? sums[i]! / counts[i]! : null;
        perMetric.set(metric, means);
      }
      result.set(state.id, perMetric);
    }
    return result;
  }

  private plan(state: DeviceState, from: number, to: number, wholeFrom: number, wholeTo: number) {
    const floor = state.raw_floor;
    const dirty: Range | null =
      state.dirty_from === null || state.dirty_to === null
        ? null
        : [state.dirty_from, state.dirty_to + hourMs];
    const above = Math.max(from, floor);
    // Below the floor: the rollup's hours that start inside the range, plus any late raw samples.
    const rollupRanges: Range[] = [[from, Math.min(to, floor)]];
    const rawRanges: Range[] = [[from, Math.min(to, floor)]];
    // Above it: whole clean hours from the rollup; part hours and dirty hours from the raw samples.
    const whole: Range = [Math.max(wholeFrom, floor), wholeTo];
    rollupRanges.push(...(dirty ? minus(whole, dirty) : [whole]));
    rawRanges.push([above, Math.min(to, wholeFrom)], [Math.max(above, wholeTo), to]);
    if (dirty) rawRanges.push([Math.max(above, dirty[0]), Math.min(to, dirty[1])]);
    return { rollupRanges: union(rollupRanges), rawRanges: union(rawRanges) };
  }
}
