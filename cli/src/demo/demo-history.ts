import { failureMode as findFailureMode, hashString, mixSeed, Rng } from '@aftercare/core';
import { DeviceSimulator, type DeviceSpec, firstSampleAt, HOUR_MS } from '@aftercare/device-sim';
import type { StoredEvent, TelemetryPoint, TelemetryStore } from '@aftercare/ingest';
import type { DemoHistoryFailure } from '@aftercare/service';
import { judgeRemoteRecovery, NETWORK_WORKING_WEEKDAYS } from '@aftercare/service/automation';

const DAY_MS = 86_400_000;
/** The simulator's corrective visit comes at most this long after a failure (correctiveRepairDays). */
const correctiveWithinMs = 4 * DAY_MS;
/** The history's corrective visit comes before the simulator's own (at the earliest a day after the failure). */
const correctiveVisitWithinMs = DAY_MS - HOUR_MS;

/**
 * The demo fleet's past as the service lived it: the simulator's own failures (its ground truth),
 * some caught by a predictive visit before the device stopped, the rest repaired by a corrective
 * visit after the failure. Every visit falls in the technicians' working hours (`nextVisitSlot`) and
 * the simulation is repaired at it, so the telemetry shows the degradation (or the failure) stop at
 * the visit the ticket records.
 *
 * Only failures whose story is over by `until` are decided here: the live fleet, which starts at
 * `until` from the same specs, drops exactly those, so history and live replay do not disagree.
 */
export interface SimulatedDemoHistory {
  failures: DemoHistoryFailure[];
  samples: number;
  events: number;
}

/**
 * When the demo's technicians make visits: Asia/Kolkata (the demo region), Monday to Saturday, work
 * starting on a quarter hour between 09:30 and 15:00, the part of the day every partner's shift covers
 * with room for the longest repair. A visit, and so the repair the simulator applies, falls in them.
 */
export const demoVisitHours = {
  utcOffsetMin: 330,
  firstStartMin: 9 * 60 + 30,
  lastStartMin: 15 * 60,
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  days: NETWORK_WORKING_WEEKDAYS,
} as const;

const QUARTER_MS = 15 * 60_000;
const MINUTE_MS = 60_000;
/** The scoring runs every 5 minutes: the first run after a complete hour of telemetry judges it. */
const scoringLagMs = 5 * MINUTE_MS;
/** How long the history looks for the telemetry to show a remote fix worked. */
const remoteJudgedWithinMs = 2 * DAY_MS;

/**
 * The first quarter hour at or after `at` when a visit can start. `anyDay` lets a breakdown call-out
 * go on a Sunday when Saturday's day is over.
 */
export function nextVisitSlot(at: number, anyDay = false, hours = demoVisitHours): number {
  const offsetMs = hours.utcOffsetMin * 60_000;
  let t = Math.ceil(at / QUARTER_MS) * QUARTER_MS;
  for (let i = 0; i < 9; i++) {
    const dayStart = Math.floor((t + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
    const minute = (t - dayStart) / 60_000;
    const weekday = ((Math.floor((dayStart + offsetMs) / DAY_MS) + 3) % 7) + 1;
    const working = anyDay || hours.days.includes(weekday);
    if (working && minute < hours.firstStartMin) return dayStart + hours.firstStartMin * 60_000;
    if (working && minute <= hours.lastStartMin) return t;
    t = dayStart + DAY_MS;
  }
  return t;
}

/** Share of failures a predictive visit catches, by how long the failure shows before it happens. */
function catchChance(leadMs: number): number {
  if (leadMs < 2 * DAY_MS) return 0.3;
  if (leadMs < 7 * DAY_MS) return 0.65;
  return 0.8;
}

/** Decides, once per episode when it first shows, whether a predictive visit catches it and when. */
function decide(
  spec: DeviceSpec,
  seed: number,
  episode: { failureMode: string; component: string; onsetAt: number; failedAt: number },
  until: number,
): DemoHistoryFailure | null {
  // A failure that may still be unrepaired at `until` belongs to the live fleet.
  if (episode.failedAt + correctiveWithinMs > until) return null;
  const rng = new Rng(mixSeed(seed, hashString(`${spec.id}/${episode.failureMode}@${episode.failedAt}`)));
  const span = episode.failedAt - episode.onsetAt;
  const base = { deviceId: spec.id, model: spec.model, ...episode };
  if (rng.next() < catchChance(span)) {
    const flaggedAt = Math.ceil((episode.onsetAt + rng.uniform(0.3, 0.6) * span) / HOUR_MS) * HOUR_MS;
    const room = episode.failedAt - 2 * HOUR_MS - flaggedAt;
    // The visit goes into working hours: the slot after the planned moment, else the first one after
    // the catch that still comes before the failure.
    let repairAt = nextVisitSlot(flaggedAt + rng.uniform(0.25, 0.8) * Math.min(room, 3 * DAY_MS));
    if (repairAt >= episode.failedAt - HOUR_MS) repairAt = nextVisitSlot(flaggedAt + 2 * HOUR_MS);
    if (room > 4 * HOUR_MS && repairAt < episode.failedAt - HOUR_MS)
      return { ...base, outcome: 'caught', flaggedAt, repairAt };
  }
  // The corrective visit: the customer calls, a technician comes in the next working slot; a
  // breakdown on Saturday evening gets a Sunday call-out. Either comes before the simulator's own
  // corrective repair (a day or more after the failure), so the simulation is repaired at the visit.
  const called = episode.failedAt + rng.uniform(1, 5) * HOUR_MS;
  let repairAt = nextVisitSlot(called);
  if (repairAt >= episode.failedAt + correctiveVisitWithinMs) repairAt = nextVisitSlot(called, true);
  return { ...base, outcome: 'failed', flaggedAt: null, repairAt };
}

/**
 * Steps every device hourly from `from` to `until`, applying the predictive repairs decided above,
 * and hands each tick to `onTick` (the telemetry writer, or nothing when only the failures are wanted).
 */
export async function simulateDemoHistory(
  specs: readonly DeviceSpec[],
  options: {
    from: number;
    until: number;
    seed: number;
    onTick?: (point: TelemetryPoint, events: StoredEvent[]) => Promise<void> | void;
  },
): Promise<SimulatedDemoHistory> {
  const failures: DemoHistoryFailure[] = [];
  let samples = 0;
  let events = 0;
  for (const spec of specs) {
    const sim = new DeviceSimulator(spec, options.from, { autoRepair: true });
    const decided = new Set<string>();
    const repairsDue: { at: number; failureMode: string }[] = [];
    const remoteDue: { at: number; command: string; failure: DemoHistoryFailure }[] = [];
    const hourly: HourlyHistory = { ts: [], values: {} };
    for (let t = firstSampleAt(options.from, HOUR_MS); t <= options.until; t += HOUR_MS) {
      for (const open of sim.openFailures()) {
        const key = `${open.failureMode}@${open.failedAt}`;
        if (decided.has(key)) continue;
        const failure = decide(spec, options.seed, open, options.until);
        decided.add(key);
        if (failure === null) continue;
        failures.push(failure);
        repairsDue.push({ at: failure.repairAt, failureMode: failure.failureMode });
        // A failure mode a remote command clears: the automation sends it as the ticket opens.
        const command = findFailureMode(spec.model, failure.failureMode)?.remoteFix ?? null;
        if (failure.outcome === 'caught' && command !== null)
          remoteDue.push({ at: failure.flaggedAt! + MINUTE_MS, command, failure });
      }
      for (let i = remoteDue.length - 1; i >= 0; i--) {
        const due = remoteDue[i]!;
        if (due.at > t) continue;
        remoteDue.splice(i, 1);
        if (sendRemoteFix(sim, hourly, due)) {
          const visit = repairsDue.findIndex((d) => d.failureMode === due.failure.failureMode);
          if (visit >= 0) repairsDue.splice(visit, 1);
        }
      }
      for (let i = repairsDue.length - 1; i >= 0; i--) {
        const due = repairsDue[i]!;
        if (due.at > t) continue;
        sim.repair(due.at, { failureModes: [due.failureMode] });
        repairsDue.splice(i, 1);
      }
      const tick = sim.step(t, HOUR_MS);
      for (const e of tick.events) {
        if (e.type !== 'info' || e.code !== 'repaired') continue;
        // The simulator's own corrective repair, should it ever come before the history's visit: the
        // repair is when it happened, and the visit moves to it.
        const failed = failures.find(
          (f) =>
            f.deviceId === spec.id &&
            f.outcome === 'failed' &&
            f.repairAt > e.ts &&
            f.failureMode === e.failureMode &&
            f.failedAt <= e.ts,
        );
        if (failed) {
          failed.repairAt = e.ts;
          const due = repairsDue.findIndex((d) => d.failureMode === e.failureMode);
          if (due >= 0) repairsDue.splice(due, 1);
        }
      }
      hourly.ts.push(tick.sample.ts);
      for (const [metric, value] of Object.entries(tick.sample.metrics)) {
        let series = hourly.values[metric];
        if (!series) {
          series = new Array(hourly.ts.length - 1).fill(null);
          hourly.values[metric] = series;
        }
        series.push(value);
      }
      for (const series of Object.values(hourly.values))
        if (series.length < hourly.ts.length) series.push(null);
      samples++;
      events += tick.events.length;
      await options.onTick?.(
        { deviceId: tick.deviceId, model: tick.model, ts: tick.sample.ts, metrics: tick.sample.metrics },
        tick.events.map((e) => ({ ...e, deviceId: tick.deviceId, model: tick.model })),
      );
    }
    for (const f of failures)
      if (f.deviceId === spec.id && f.outcome === 'fixed_remotely') judgeRemoteFix(f, hourly, options.until);
  }
  // A failure whose visit the simulation did not reach stays with the live fleet.
  return {
    failures: failures
      .filter((f) => f.repairAt > 0 && f.repairAt <= options.until)
      .sort((a, b) => a.failedAt - b.failedAt),
    samples,
    events,
  };
}

/** Writes the simulated history into the telemetry store in batches (prepared statements behind the port). */
export async function writeDemoHistory(
  store: Pick<TelemetryStore, 'write' | 'writeEvents'>,
  specs: readonly DeviceSpec[],
  options: { from: number; until: number; seed: number; batchSize?: number },
): Promise<SimulatedDemoHistory> {
  const batchSize = options.batchSize ?? 10_000;
  let points: TelemetryPoint[] = [];
  let events: StoredEvent[] = [];
  const flush = async () => {
    if (points.length > 0) await store.write(points);
    if (events.length > 0) await store.writeEvents(events);
    points = [];
    events = [];
  };
  const history = await simulateDemoHistory(specs, {
    ...options,
    onTick: async (point, tickEvents) => {
      points.push(point);
      for (const e of tickEvents) events.push(e);
      if (points.length >= batchSize) await flush();
    },
  });
  await flush();
  return history;
}

type HourlyHistory = { ts: number[]; values: Record<string, (number | null)[]> };

/**
 * The automation's remote fix of a caught failure, sent as its ticket opens: the simulated device
 * runs the command (its own handling says what it cleared). Sent only when the telemetry can judge it
 * (the failure mode's readings measurably off before the fix, `judgeRemoteRecovery`); otherwise the
 * history keeps the visit, as the automation would wait for the risk to fall. True when it cleared.
 */
function sendRemoteFix(
  sim: DeviceSimulator,
  hourly: HourlyHistory,
  due: { at: number; command: string; failure: DemoHistoryFailure },
): boolean {
  const f = due.failure;
  const judged = judgeRemoteRecovery({
    model: f.model,
    failureMode: f.failureMode,
    answeredAt: due.at,
    onsetAt: f.onsetAt,
    hourly,
    now: due.at,
  });
  if (judged.outcome === 'unmeasurable') return false;
  const { answer, cleared } = sim.runCommand(
    { commandId: `history-${f.deviceId}-${due.at}`, command: due.command, ts: due.at },
    due.at,
  );
  if (!cleared.some((c) => c.failureMode === f.failureMode)) return false;
  f.outcome = 'fixed_remotely';
  f.repairAt = answer.ts;
  f.remote = { command: due.command, answer: answer.message ?? 'ok', resolvedAt: 0, reason: '' };
  return true;
}

/**
 * When the automation resolved a remote fix: the first scoring after the telemetry showed the fault
 * cleared (`judgeRemoteRecovery` over the simulated hours after the answer, as the live automation
 * reads them from the store).
 */
function judgeRemoteFix(f: DemoHistoryFailure, hourly: HourlyHistory, until: number): void {
  const remote = f.remote!;
  const answerHour = Math.floor(f.repairAt / HOUR_MS) * HOUR_MS;
  for (
    let now = answerHour + HOUR_MS + scoringLagMs;
    now <= f.repairAt + remoteJudgedWithinMs;
    now += HOUR_MS
  ) {
    if (now > until) break;
    const verdict = judgeRemoteRecovery({
      model: f.model,
      failureMode: f.failureMode,
      answeredAt: f.repairAt,
      onsetAt: f.onsetAt,
      hourly,
      now,
    });
    if (verdict.outcome !== 'cleared') continue;
    remote.resolvedAt = now;
    remote.reason = `fixed remotely: ${remote.command} answered ok (${remote.answer}) and the telemetry shows the fault cleared: ${verdict.reason}`;
    return;
  }
}
