import type { ComponentTrend, Risk } from '@aftercare/core';
import type Database from 'better-sqlite3';
import {
  byDeviceComponent,
  byTimeDeviceComponent,
  checkRiskQuery,
  checkRiskTrendQuery,
  mergeTrends,
  mostRecent,
  type TrendRow,
} from '../risk-rules.ts';
import type { RiskQuery, RiskTrendQuery } from '../telemetry-store.ts';
import type { Dictionary } from './dictionary.ts';

interface RiskRow {
  device: number;
  component: string;
  scored_at: number;
  model: string;
  failure_mode: string;
  model_version: string;
  p_fail: number;
  days_left: number | null;
  horizon_days: number;
  data_until: number;
  drivers: string;
}

/** Devices per statement, as the telemetry reads chunk them. */
const devicesPerChunk = 500;
/** Rows retention deletes per transaction, so a large backlog never holds the file for long. */
const deletesPerStep = 5_000;
const dayMs = 86_400_000;
const dayOf = (ts: number) => Math.floor(ts / dayMs) * dayMs;
/** meta key: raw risks scored before this were deleted by retention (the daily rollup holds them). */
const keptFromKey = 'risks_kept_from';
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const columns = `r.device, r.component, r.scored_at, r.model, r.failure_mode, r.model_version, r.p_fail,
  r.days_left, r.horizon_days, r.data_until, r.drivers`;

// CROSS JOIN fixes the join order: from the few (device, component) pairs asked for to a seek into
// the history, never a walk of the whole table. INDEXED BY makes that seek the primary key's (the
// planner otherwise may take the time index, which finds the row too but then needs a second lookup
// for its columns); sqlite_autoindex_risks_1 is the name SQLite gives a WITHOUT ROWID table's key.
const latestSql = (filtered: boolean) => `
  SELECT ${columns} FROM ${filtered ? 'json_each(@devices) j CROSS JOIN ' : ''}risk_latest l CROSS JOIN risks r INDEXED BY sqlite_autoindex_risks_1
   WHERE ${filtered ? 'l.device = j.value AND ' : ''}r.device = l.device AND r.component = l.component
     AND r.scored_at = l.scored_at`;

const historyOfDevicesSql = `
  SELECT ${columns} FROM json_each(@devices) j CROSS JOIN risk_latest l CROSS JOIN risks r INDEXED BY sqlite_autoindex_risks_1
   WHERE l.device = j.value AND (@component IS NULL OR l.component = @component)
     AND r.device = l.device AND r.component = l.component AND r.scored_at >= @from AND r.scored_at < @to
   ORDER BY r.scored_at DESC LIMIT @limit`;

const historyOfAllSql = `
  SELECT ${columns} FROM risks r
   WHERE r.scored_at >= @from AND r.scored_at < @to AND (@component IS NULL OR r.component = @component)
   ORDER BY r.scored_at DESC LIMIT @limit`;

// A bucket is floor(ts / step) * step, as the telemetry windows align theirs. Parameters arrive as
// REALs: the casts keep the division whole.
const trendOfRawSql = `
  SELECT component, (scored_at / CAST(@step AS INTEGER)) * CAST(@step AS INTEGER) AS ts, max(p_fail) AS pFail, min(days_left) AS daysLeft,
         max(scored_at) AS lastAt, count(*) AS scores
    FROM risks WHERE device = @device AND (@component IS NULL OR component = @component)
     AND scored_at >= @from AND scored_at < @to
   GROUP BY component, 2`;

// A day of the rollup counts only when all its scores fall in the window (a window cutting into
// it cannot tell which of them it holds), in the bucket of its highest score.
const trendOfDaysSql = `
  SELECT component, (max_at / CAST(@step AS INTEGER)) * CAST(@step AS INTEGER) AS ts, max(max_p) AS pFail,
         min(min_days_left) AS daysLeft, max(last_at) AS lastAt, sum(scores) AS scores
    FROM risk_daily WHERE device = @device AND (@component IS NULL OR component = @component)
     AND day >= @dayFrom AND day < @to AND first_at >= @from AND last_at < @to
   GROUP BY component, 2`;

// Every write adds to its day, so the rollup knows each component's first score, raw or not.
const firstScoresSql = `
  SELECT component, min(first_at) AS firstAt FROM risk_daily
   WHERE device = @device AND (@component IS NULL OR component = @component) GROUP BY component`;

/** The read statements, exported so a test can hold their query plans to seeks. */
export const riskSql = {
  latest: latestSql,
  historyOfDevices: historyOfDevicesSql,
  historyOfAll: historyOfAllSql,
  trendOfRaw: trendOfRawSql,
  trendOfDays: trendOfDaysSql,
  firstScores: firstScoresSql,
};

/**
 * The `risk` series in the embedded store: one row per (device, component, scoredAt), replaced when
 * written again, and a pointer per device × component to its newest row.
 */
export class SqliteRisks {
  private readonly insert: Database.Statement;
  private readonly pointAtNewest: Database.Statement;
  private readonly latestOf: Database.Statement;
  private readonly latestAll: Database.Statement;
  private readonly historyOfDevices: Database.Statement;
  private readonly historyOfAll: Database.Statement;
  private readonly deleteOld: Database.Statement;
  private readonly deleteOldPointers: Database.Statement;
  private readonly addToDay: Database.Statement;
  private readonly trendOfRaw: Database.Statement;
  private readonly trendOfDays: Database.Statement;
  private readonly firstScores: Database.Statement;
  private readonly keptFrom: Database.Statement<[string], { value: string }>;
  private readonly setKeptFrom: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly ids: Dictionary,
  ) {
    this.insert = db.prepare(
      `INSERT OR REPLACE INTO risks (device, component, scored_at, model, failure_mode, model_version,
         p_fail, days_left, horizon_days, data_until, drivers)
       VALUES (@device, @component, @scored_at, @model, @failure_mode, @model_version,
         @p_fail, @days_left, @horizon_days, @data_until, @drivers)`,
    );
    this.pointAtNewest = db.prepare(
      `INSERT INTO risk_latest (device, component, scored_at) VALUES (@device, @component, @scored_at)
       ON CONFLICT (device, component) DO UPDATE SET scored_at = max(scored_at, excluded.scored_at)`,
    );
    this.latestOf = db.prepare(latestSql(true));
    this.latestAll = db.prepare(latestSql(false));
    this.historyOfDevices = db.prepare(historyOfDevicesSql);
    this.historyOfAll = db.prepare(historyOfAllSql);
    this.deleteOld = db.prepare(
      `DELETE FROM risks WHERE (device, component, scored_at) IN
         (SELECT device, component, scored_at FROM risks WHERE scored_at < @cutoff LIMIT ${deletesPerStep})`,
    );
    this.deleteOldPointers = db.prepare('DELETE FROM risk_latest WHERE scored_at < @cutoff');
    // The SET expressions all read the row as it was. min() of SQLite returns NULL when either side
    // is: a day with no days left predicted yet takes the new one.
    this.addToDay = db.prepare(
      `INSERT INTO risk_daily (device, component, day, max_p, max_at, min_days_left, scores, first_at, last_at)
       VALUES (@device, @component, @day, @p_fail, @scored_at, @days_left, 1, @scored_at, @scored_at)
       ON CONFLICT (device, component, day) DO UPDATE SET
         max_at = CASE WHEN excluded.max_p > max_p THEN excluded.max_at ELSE max_at END,
         max_p = max(max_p, excluded.max_p), scores = scores + 1,
         first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at),
         min_days_left = min(coalesce(min_days_left, excluded.min_days_left),
                             coalesce(excluded.min_days_left, min_days_left))`,
    );
    this.trendOfRaw = db.prepare(trendOfRawSql);
    this.trendOfDays = db.prepare(trendOfDaysSql);
    this.firstScores = db.prepare(firstScoresSql);
    this.keptFrom = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.setKeptFrom = db.prepare(
      `INSERT INTO meta (key, value) VALUES ('${keptFromKey}', @cutoff)
       ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`,
    );
  }

  /** Runs inside the caller's transaction; the caller has validated the risks. */
  write(risks: readonly Risk[]): void {
    for (const risk of risks) {
      const device = this.ids.deviceIdFor(risk.deviceId, risk.model);
      this.insert.run({
        device,
        component: risk.component,
        scored_at: risk.scoredAt,
        model: risk.model,
        failure_mode: risk.failureMode,
        model_version: risk.modelVersion,
        p_fail: risk.pFail,
        days_left: risk.daysLeft,
        horizon_days: risk.horizonDays,
        data_until: risk.dataUntil,
        drivers: JSON.stringify(risk.drivers),
      });
      this.pointAtNewest.run({ device, component: risk.component, scored_at: risk.scoredAt });
      // A rescored risk that lowers an earlier figure leaves the day's maximum as it was: the day
      // keeps the highest risk it ever showed, which is what a planner looking back needs to see. A
      // risk written again counts twice in the day's scores, which only say how often it was scored.
      this.addToDay.run({
        device,
        component: risk.component,
        day: dayOf(risk.scoredAt),
        scored_at: risk.scoredAt,
        p_fail: risk.pFail,
        days_left: risk.daysLeft,
      });
    }
  }

  /**
   * Raw risks where they are still kept; before that, the daily rollup, whose days count whole: the
   * day retention cut into is read from it too, so no bucket mixes part of a day with all of it.
   */
  trend(query: RiskTrendQuery): ComponentTrend[] {
    checkRiskTrendQuery(query);
    const device = this.ids.deviceId(query.deviceId);
    if (device === undefined || query.to <= query.from) return [];
    const keptFrom = Number(this.keptFrom.get(keptFromKey)?.value ?? 0);
    const rawFrom = keptFrom > 0 ? dayOf(keptFrom) + dayMs : Number.NEGATIVE_INFINITY;
    const params = { device, component: query.component ?? null, step: query.stepMs, to: query.to };
    const rows = this.trendOfRaw.all({ ...params, from: Math.max(query.from, rawFrom) }) as TrendRow[];
    if (query.from < rawFrom)
      rows.push(
        ...(this.trendOfDays.all({
          ...params,
          from: query.from,
          dayFrom: dayOf(query.from),
          to: Math.min(query.to, rawFrom),
        }) as TrendRow[]),
      );
    const firsts = this.firstScores.all({ device, component: params.component }) as {
      component: string;
      firstAt: number;
    }[];
    return mergeTrends(rows, new Map(firsts.map((f) => [f.component, f.firstAt])));
  }

  async read(query: RiskQuery): Promise<Risk[]> {
    const limit = checkRiskQuery(query);
    if (limit === 0 || query.to <= query.from) return [];
    const params = { from: query.from, to: query.to, component: query.component ?? null, limit };
    const rows: RiskRow[] = [];
    if (query.deviceIds === undefined) {
      rows.push(...(this.historyOfAll.all(params) as RiskRow[]));
    } else {
      const known = this.knownDevices(query.deviceIds);
      for (let offset = 0; offset < known.length; offset += devicesPerChunk) {
        if (offset > 0) await yieldToEventLoop();
        const devices = JSON.stringify(known.slice(offset, offset + devicesPerChunk));
        rows.push(...(this.historyOfDevices.all({ ...params, devices }) as RiskRow[]));
      }
    }
    return mostRecent(rows.map((row) => this.toRisk(row)).sort(byTimeDeviceComponent), limit);
  }

  async latest(deviceIds?: readonly string[]): Promise<Risk[]> {
    const rows: RiskRow[] = [];
    if (deviceIds === undefined) {
      rows.push(...(this.latestAll.all() as RiskRow[]));
    } else {
      const known = this.knownDevices(deviceIds);
      for (let offset = 0; offset < known.length; offset += devicesPerChunk) {
        if (offset > 0) await yieldToEventLoop();
        const devices = JSON.stringify(known.slice(offset, offset + devicesPerChunk));
        rows.push(...(this.latestOf.all({ devices }) as RiskRow[]));
      }
    }
    return rows.map((row) => this.toRisk(row)).sort(byDeviceComponent);
  }

  /** Drops risks scored before `cutoff`, a few thousand rows per transaction; returns how many. */
  async deleteBefore(cutoff: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const changes = this.db.transaction(() => this.deleteOld.run({ cutoff }).changes)();
      deleted += changes;
      if (changes < deletesPerStep) break;
      await yieldToEventLoop();
    }
    // A pointer older than the cutoff points at a row that is gone (its pair has no newer one).
    this.deleteOldPointers.run({ cutoff });
    this.setKeptFrom.run({ cutoff: String(cutoff) });
    return deleted;
  }

  private knownDevices(deviceIds: readonly string[]): number[] {
    return [...new Set(deviceIds)].map((name) => this.ids.deviceId(name)).filter((id) => id !== undefined);
  }

  private toRisk(row: RiskRow): Risk {
    return {
      deviceId: this.ids.deviceName(row.device),
      model: row.model as Risk['model'],
      component: row.component,
      failureMode: row.failure_mode,
      pFail: row.p_fail,
      daysLeft: row.days_left,
      horizonDays: row.horizon_days,
      modelVersion: row.model_version,
      scoredAt: row.scored_at,
      dataUntil: row.data_until,
      drivers: JSON.parse(row.drivers) as Risk['drivers'],
    };
  }
}
