import type { DeviceModel } from '@aftercare/core';
import type { ClearedFailure, GroundTruthRecord } from '@aftercare/device-sim';
import { roadKm } from '@aftercare/service/automation';
import type {
  ArmFigures,
  ArmKind,
  FailureRecord,
  PredictiveTicketCounts,
  TicketOutcome,
  TicketRecord,
  VisitRecord,
} from './backtest-types.ts';
import { DAY_MS } from './backtest-types.ts';

/**
 * What happened during one arm, recorded as it happens: the simulator's failures (ground truth), the
 * tickets and what their visits found, and every visit. Figures are computed from it at the end, so
 * the definitions live in one place (`armFigures`).
 */
export class Ledger {
  readonly failures = new Map<string, FailureRecord>();
  readonly tickets = new Map<string, TicketRecord>();
  readonly visits: VisitRecord[] = [];
  private readonly visited = new Set<string>();

  constructor(
    /** Failures are counted when their failure time falls in [from, to]. */
    readonly from: number,
    readonly to: number,
  ) {}

  private static key(deviceId: string, failureMode: string, failedAt: number): string {
    return `${deviceId}|${failureMode}|${failedAt}`;
  }

  private failure(f: GroundTruthRecord): FailureRecord | null {
    if (f.failedAt < this.from || f.failedAt > this.to) return null;
    const key = Ledger.key(f.deviceId, f.failureMode, f.failedAt);
    let record = this.failures.get(key);
    if (!record) {
      record = { ...f, happened: false, preventedBy: null, leadDays: null };
      this.failures.set(key, record);
    }
    return record;
  }

  /** The simulator says the device stopped working. */
  failureHappened(f: GroundTruthRecord): void {
    const record = this.failure(f);
    if (record) record.happened = true;
  }

  /** A predictive visit repaired a developing failure; false when its failure time lies past the end. */
  failurePrevented(f: GroundTruthRecord, ticket: { id: string; createdAt: number }): boolean {
    const record = this.failure(f);
    if (!record) return false;
    record.preventedBy = ticket.id;
    record.leadDays = (f.failedAt - ticket.createdAt) / DAY_MS;
    return true;
  }

  ticket(record: Omit<TicketRecord, 'outcome'>): TicketRecord {
    let t = this.tickets.get(record.id);
    if (!t) {
      t = { ...record, outcome: null };
      this.tickets.set(record.id, t);
    }
    return t;
  }

  /**
   * What a repair (on site or by a remote command) cleared on a device: a failure that had already
   * happened is booked as happened; one still developing as prevented by the ticket, unless the ticket
   * is corrective (the customer called: nothing was predicted).
   */
  cleared(
    device: { deviceId: string; model: DeviceModel },
    cleared: readonly ClearedFailure[],
    ticket: { id: string; kind: TicketRecord['kind']; createdAt: number },
  ): void {
    for (const c of cleared) {
      const failure = { ...c, ...device };
      if (!c.prevented) this.failureHappened(failure);
      else if (ticket.kind !== 'corrective') this.failurePrevented(failure, ticket);
    }
  }

  /** `ticket` for a service-database row. */
  ticketRow(row: {
    id: string;
    kind: TicketRecord['kind'];
    device_id: string;
    failure_mode: string | null;
    created_at: number;
  }): TicketRecord {
    return this.ticket({
      id: row.id,
      kind: row.kind,
      deviceId: row.device_id,
      failureMode: row.failure_mode,
      createdAt: row.created_at,
    });
  }

  judge(ticketId: string, outcome: TicketOutcome): void {
    const t = this.tickets.get(ticketId);
    if (t) t.outcome = outcome;
  }

  visit(v: VisitRecord): void {
    this.visits.push(v);
    this.visited.add(v.ticketId);
  }

  hasVisited(ticketId: string): boolean {
    return this.visited.has(ticketId);
  }
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const pct = (n: number, d: number): number | null => (d > 0 ? round((n / d) * 100, 1) : null);

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Road km of each technician's days: from home through the day's visits in start order and back. */
export function travelKm(
  visits: readonly VisitRecord[],
  homes: ReadonlyMap<string, { lat: number; lon: number }>,
  dayOf: (ts: number) => number,
): number {
  const days = new Map<string, VisitRecord[]>();
  for (const v of visits) {
    const key = `${v.technicianId}|${dayOf(v.start)}`;
    const list = days.get(key) ?? [];
    list.push(v);
    days.set(key, list);
  }
  let km = 0;
  for (const [key, list] of days) {
    const home = homes.get(key.split('|')[0]!);
    if (!home) continue;
    list.sort((a, b) => a.start - b.start);
    let at = home;
    for (const v of list) {
      km += roadKm(at, v.position);
      at = v.position;
    }
    km += roadKm(at, home);
  }
  return km;
}

/**
 * The arm's figures. `predictive` counts the predictive tickets the alarms opened (from the service
 * database at the end, so tickets cancelled by the risk policy or still waiting are counted too).
 */
export function armFigures(
  kind: ArmKind,
  ledger: Ledger,
  predictive: { opened: number; cancelledByPolicy: number; pending: number },
  travel: number,
  remoteFixes: ArmFigures['remoteFixes'],
  routeFill: ArmFigures['routeFill'],
): ArmFigures {
  const failures = [...ledger.failures.values()];
  const caughtLeads = failures.filter((f) => f.preventedBy !== null).map((f) => f.leadDays!);
  const tickets = [...ledger.tickets.values()];
  const outcomes = (o: TicketOutcome) => tickets.filter((t) => t.outcome === o).length;
  // As `ServiceDesk.predictiveCounts`: work a prediction named (predictive, or folded into an AMC visit).
  const predictiveOutcomes = tickets.filter((t) => t.failureMode !== null && t.kind !== 'corrective');
  const judged = (o: TicketOutcome) => predictiveOutcomes.filter((t) => t.outcome === o).length;
  const caughtTickets = judged('caught');
  const counts: PredictiveTicketCounts = {
    opened: predictive.opened,
    caught: caughtTickets,
    false: judged('false'),
    late: judged('late'),
    cancelled: predictive.cancelledByPolicy,
    pending: predictive.pending,
    caughtBeyondEnd: Math.max(0, caughtTickets - caughtLeads.length),
  };
  const firsts = ledger.visits.filter((v) => v.first);
  const withPart = firsts.filter((v) => v.needsPart);
  const judgedTickets = counts.caught + counts.false + counts.late;
  return {
    kind,
    failures: failures.length,
    failuresHappened: failures.filter((f) => f.happened).length,
    caught: caughtLeads.length,
    caughtPct: pct(caughtLeads.length, failures.length),
    medianLeadDays: roundOrNull(median(caughtLeads), 2),
    meanLeadDays: roundOrNull(
      caughtLeads.length > 0 ? caughtLeads.reduce((a, b) => a + b, 0) / caughtLeads.length : null,
      2,
    ),
    falseTickets: counts.false,
    falseTicketPct: pct(counts.false, judgedTickets),
    predictiveTickets: counts,
    correctiveTickets: tickets.filter((t) => t.kind === 'corrective').length,
    amcVisits: outcomes('maintenance'),
    slaMet: pct(firsts.filter((v) => v.start <= v.slaDueAt).length, firsts.length),
    slaJobs: firsts.length,
    partsFirstVisit: pct(withPart.filter((v) => v.partInHand).length, withPart.length),
    partsJobs: withPart.length,
    revisits: ledger.visits.length - firsts.length,
    visits: ledger.visits.length,
    travelKm: round(travel, 1),
    travelKmPerVisit: ledger.visits.length > 0 ? round(travel / ledger.visits.length, 2) : null,
    remoteFixes,
    routeFill,
  };
}

function roundOrNull(x: number | null, digits: number): number | null {
  return x === null ? null : round(x, digits);
}
