import type { Arrival, DeviceModel } from '@aftercare/core';
import { HOUR_MS, MINUTE_MS } from './work.ts';

/**
 * Service KPIs computed from plain records, overall and per partner, technician, device model and month,
 * so that manufacturers see the same figures the partners do. Rates are fractions (0–1); NPS is the
 * usual score from −100 to 100. A figure whose denominator is empty is null, never 0.
 *
 * Definitions:
 * - failures prevented vs happened: failure records by `prevented`; preventionRate = prevented ÷ all;
 * - fixed remotely: the failures prevented without a visit (a remote command cleared the fault);
 * - first-time-fix rate: resolved repairs (predictive, corrective) with a recorded first-time-fix flag;
 *   per technician and partner, the repairs whose first visit they made (a fix that needed a second
 *   visit is the first visitor's miss, not that of whoever came back with the part);
 * - MTTR: mean hours from opened to resolved over resolved repairs;
 * - SLA compliance: tickets (any kind, not cancelled) with an SLA due time that are either answered or
 *   past due at `asOf`; met when the answer is not after the due time. The answer is the first
 *   on-site arrival, or for a ticket fixed remotely without a visit, its resolution. Per technician
 *   and partner, a visited ticket is judged with whoever made its first visit, one not visited with
 *   whoever holds it;
 * - parts fill rate: parts requests filled from stock on the first visit ÷ all requests;
 * - complaint resolution: mean hours from complaint opened to resolved; complaintsOpen counts the rest;
 * - CSAT: mean of the 1–5 scores; NPS: % promoters (9–10) − % detractors (0–6);
 * - utilisation: worked minutes ÷ available minutes;
 * - verified-fix rate: resolved repairs whose verification concluded, verified ÷ (verified + flagged);
 * - on-time start rate: jobs (not cancelled) whose first visit began against a booked slot, begun
 *   within `ON_TIME_MINUTES` of its start ÷ all of them: early starts count against it as late ones do.
 *   Per technician and partner it is the first visits they made, whoever holds the ticket since.
 * Grouping: tickets by the month they were opened, other records by their own time; local months.
 */

export type TicketKind = 'predictive' | 'corrective' | 'amc_visit' | 'installation';

export interface TicketRecord {
  ticketId: string;
  kind: TicketKind;
  partnerId: string | null;
  technicianId: string | null;
  deviceModel: DeviceModel | null;
  openedAt: number;
  firstOnSiteAt: number | null;
  resolvedAt: number | null;
  cancelledAt: number | null;
  slaDueAt: number | null;
  /** Fixed on the first visit; null until resolved or when not recorded. */
  firstTimeFix: boolean | null;
  /** True: verified by telemetry; false: flagged for review; null: not concluded yet. */
  verified: boolean | null;
  /** Resolved by a remote command, nobody on site. Left out: false. */
  fixedRemotely?: boolean;
  /** When the first visit began against its booked slot; null or left out: no visit, or no slot. */
  arrival?: Arrival | null;
  /**
   * Who made the first visit (booked for it when it began) and their partner: the on-time start, the
   * SLA of a visited ticket and the first-time fix are theirs. Left out or null: the ticket's own
   * technician and partner.
   */
  firstVisitTechnicianId?: string | null;
  firstVisitPartnerId?: string | null;
}

export interface FailureRecord {
  deviceId: string;
  deviceModel: DeviceModel;
  /** The partner servicing the device (who prevented it, or who did not). */
  partnerId: string | null;
  technicianId: string | null;
  at: number;
  /** True when a predictive repair came before the failure; false when the device failed. */
  prevented: boolean;
  /** Prevented without a visit: a remote command cleared the fault. Left out: false. */
  fixedRemotely?: boolean;
}

export interface PartsRequestRecord {
  ticketId: string;
  partnerId: string | null;
  technicianId: string | null;
  deviceModel: DeviceModel | null;
  at: number;
  filledOnFirstVisit: boolean;
}

export interface FeedbackRecord {
  ticketId: string;
  partnerId: string | null;
  technicianId: string | null;
  deviceModel: DeviceModel | null;
  at: number;
  /** 1–5. */
  csat: number | null;
  /** 0–10. */
  nps: number | null;
  complaintOpenedAt: number | null;
  complaintResolvedAt: number | null;
}

export interface WorkingTimeRecord {
  technicianId: string;
  partnerId: string;
  /** Start of the day, epoch ms. */
  day: number;
  availableMinutes: number;
  workedMinutes: number;
}

export interface KpiRecords {
  tickets: readonly TicketRecord[];
  /**
   * The tickets whose first visit a group made, when not its own tickets (a technician's or partner's
   * group: the visits they made): their on-time start, SLA and first-time fix are the group's. Only the
   * visited ones count. Left out: `tickets`.
   */
  firstVisits?: readonly TicketRecord[];
  failures: readonly FailureRecord[];
  partsRequests: readonly PartsRequestRecord[];
  feedback: readonly FeedbackRecord[];
  workingTime: readonly WorkingTimeRecord[];
}

export interface KpiSet {
  failuresPrevented: number;
  failuresHappened: number;
  preventionRate: number | null;
  /** Failures prevented without a visit (part of failuresPrevented). */
  fixedRemotely: number;
  repairsResolved: number;
  firstTimeFixRate: number | null;
  mttrHours: number | null;
  slaEvaluated: number;
  slaCompliance: number | null;
  partsFillRate: number | null;
  complaintResolutionHours: number | null;
  complaintsOpen: number;
  csatMean: number | null;
  npsScore: number | null;
  utilisation: number | null;
  verifiedFixRate: number | null;
  onTimeStartRate: number | null;
}

export interface KpiReport {
  overall: KpiSet;
  byPartner: Record<string, KpiSet>;
  byTechnician: Record<string, KpiSet>;
  byDeviceModel: Record<string, KpiSet>;
  /** Keyed `YYYY-MM`, local time. */
  byMonth: Record<string, KpiSet>;
}

export interface KpiOptions {
  /** Tickets past their SLA due time at this instant without a visit count as missed. */
  asOf: number;
  utcOffsetMin?: number;
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);
const mean = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length;

/** A repair (predictive or reported) that was resolved: what MTTR, first-time fix and verification count. */
function isResolvedRepair(t: TicketRecord): boolean {
  return (t.kind === 'predictive' || t.kind === 'corrective') && t.resolvedAt !== null;
}

/** The partner a ticket's first visit is credited to: whoever made it, else the ticket's own. */
export function firstVisitPartnerOf(
  t: Pick<TicketRecord, 'firstVisitPartnerId' | 'partnerId'>,
): string | null {
  return t.firstVisitPartnerId ?? t.partnerId;
}

export function computeKpiSet(records: KpiRecords, asOf: number): KpiSet {
  const live = records.tickets.filter((t) => t.cancelledAt === null);
  const repairs = live.filter(isResolvedRepair);
  // What a visit answers for goes with whoever made the first one; a ticket not visited, with its holder.
  const firstVisits = (records.firstVisits ?? records.tickets).filter(
    (t) => t.cancelledAt === null && t.firstOnSiteAt !== null,
  );
  const judged = [...firstVisits, ...live.filter((t) => t.firstOnSiteAt === null)];
  const ftf = judged.filter((t) => isResolvedRepair(t) && t.firstTimeFix !== null);
  const answeredAt = (t: TicketRecord): number | null =>
    t.firstOnSiteAt ?? (t.fixedRemotely === true ? t.resolvedAt : null);
  const sla = judged.filter((t) => t.slaDueAt !== null && (answeredAt(t) !== null || t.slaDueAt <= asOf));
  const verifiedConcluded = repairs.filter((t) => t.verified !== null);
  const started = firstVisits.filter((t) => t.arrival != null);
  const prevented = records.failures.filter((f) => f.prevented).length;
  const complaints = records.feedback.filter((f) => f.complaintOpenedAt !== null);
  const resolvedComplaints = complaints.filter((f) => f.complaintResolvedAt !== null);
  const nps = records.feedback.flatMap((f) => (f.nps === null ? [] : [f.nps]));
  const available = records.workingTime.reduce((s, w) => s + w.availableMinutes, 0);
  return {
    failuresPrevented: prevented,
    failuresHappened: records.failures.length - prevented,
    preventionRate: ratio(prevented, records.failures.length),
    fixedRemotely: records.failures.filter((f) => f.prevented && f.fixedRemotely === true).length,
    repairsResolved: repairs.length,
    firstTimeFixRate: ratio(ftf.filter((t) => t.firstTimeFix).length, ftf.length),
    mttrHours: mean(repairs.map((t) => hoursBetween(t.openedAt, t.resolvedAt!))),
    slaEvaluated: sla.length,
    slaCompliance: ratio(
      sla.filter((t) => {
        const at = answeredAt(t);
        return at !== null && at <= t.slaDueAt!;
      }).length,
      sla.length,
    ),
    partsFillRate: ratio(
      records.partsRequests.filter((p) => p.filledOnFirstVisit).length,
      records.partsRequests.length,
    ),
    complaintResolutionHours: mean(
      resolvedComplaints.map((f) => hoursBetween(f.complaintOpenedAt!, f.complaintResolvedAt!)),
    ),
    complaintsOpen: complaints.length - resolvedComplaints.length,
    csatMean: mean(records.feedback.flatMap((f) => (f.csat === null ? [] : [f.csat]))),
    npsScore:
      nps.length === 0
        ? null
        : ((nps.filter((s) => s >= 9).length - nps.filter((s) => s <= 6).length) / nps.length) * 100,
    utilisation: ratio(
      records.workingTime.reduce((s, w) => s + w.workedMinutes, 0),
      available,
    ),
    verifiedFixRate: ratio(verifiedConcluded.filter((t) => t.verified).length, verifiedConcluded.length),
    onTimeStartRate: ratio(started.filter((t) => t.arrival === 'on_time').length, started.length),
  };
}

/**
 * Hours from `from` to `to`, never fewer than none: the two are stamped by the server's clock at
 * different moments, and a clock stepped back between them (an NTP correction) would otherwise make
 * a repair or a complaint take negative time and pull the mean below what any ticket took.
 */
function hoursBetween(from: number, to: number): number {
  return Math.max(0, to - from) / HOUR_MS;
}

/** `YYYY-MM` of an instant in local time. */
export function monthKey(ts: number, utcOffsetMin = 0): string {
  return new Date(ts + utcOffsetMin * MINUTE_MS).toISOString().slice(0, 7);
}

type Keys = {
  ticket: (r: TicketRecord) => string | null;
  /** Whose first visit it was; left out: the ticket's own key. */
  firstVisit?: (r: TicketRecord) => string | null;
  failure: (r: FailureRecord) => string | null;
  parts: (r: PartsRequestRecord) => string | null;
  feedback: (r: FeedbackRecord) => string | null;
  work: (r: WorkingTimeRecord) => string | null;
};

function groupBy(records: KpiRecords, keys: Keys, asOf: number): Record<string, KpiSet> {
  const groups = new Map<
    string,
    {
      tickets: TicketRecord[];
      firstVisits: TicketRecord[];
      failures: FailureRecord[];
      partsRequests: PartsRequestRecord[];
      feedback: FeedbackRecord[];
      workingTime: WorkingTimeRecord[];
    }
  >();
  const group = (key: string | null) => {
    if (key === null) return null;
    let g = groups.get(key);
    if (!g) {
      g = { tickets: [], firstVisits: [], failures: [], partsRequests: [], feedback: [], workingTime: [] };
      groups.set(key, g);
    }
    return g;
  };
  for (const r of records.tickets) group(keys.ticket(r))?.tickets.push(r);
  for (const r of records.firstVisits ?? records.tickets)
    if (r.firstOnSiteAt !== null) group((keys.firstVisit ?? keys.ticket)(r))?.firstVisits.push(r);
  for (const r of records.failures) group(keys.failure(r))?.failures.push(r);
  for (const r of records.partsRequests) group(keys.parts(r))?.partsRequests.push(r);
  for (const r of records.feedback) group(keys.feedback(r))?.feedback.push(r);
  for (const r of records.workingTime) group(keys.work(r))?.workingTime.push(r);
  return Object.fromEntries(
    [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => [k, computeKpiSet(g, asOf)]),
  );
}

export function computeKpis(records: KpiRecords, options: KpiOptions): KpiReport {
  const { asOf } = options;
  const month = (ts: number) => monthKey(ts, options.utcOffsetMin ?? 0);
  return {
    overall: computeKpiSet(records, asOf),
    byPartner: groupBy(
      records,
      {
        ticket: (r) => r.partnerId,
        firstVisit: firstVisitPartnerOf,
        failure: (r) => r.partnerId,
        parts: (r) => r.partnerId,
        feedback: (r) => r.partnerId,
        work: (r) => r.partnerId,
      },
      asOf,
    ),
    byTechnician: groupBy(
      records,
      {
        ticket: (r) => r.technicianId,
        firstVisit: (r) => r.firstVisitTechnicianId ?? r.technicianId,
        failure: (r) => r.technicianId,
        parts: (r) => r.technicianId,
        feedback: (r) => r.technicianId,
        work: (r) => r.technicianId,
      },
      asOf,
    ),
    byDeviceModel: groupBy(
      records,
      {
        ticket: (r) => r.deviceModel,
        failure: (r) => r.deviceModel,
        parts: (r) => r.deviceModel,
        feedback: (r) => r.deviceModel,
        work: () => null,
      },
      asOf,
    ),
    byMonth: groupBy(
      records,
      {
        ticket: (r) => month(r.openedAt),
        failure: (r) => month(r.at),
        parts: (r) => month(r.at),
        feedback: (r) => month(r.at),
        work: (r) => month(r.day),
      },
      asOf,
    ),
  };
}
