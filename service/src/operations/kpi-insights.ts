import { catalog, type DeviceModel, deviceModels, PART_RETURN_DAYS } from '@aftercare/core';
import {
  computeKpiSet,
  computeKpis,
  firstVisitPartnerOf,
  type KpiRecords,
  type KpiSet,
  monthKey,
  type TicketRecord,
} from '../automation/kpis.ts';
import { DAY_MS, MINUTE_MS } from '../automation/work.ts';
import type { InsightData, InsightDevice, InsightTicket } from './kpi-records.ts';
import { workingTime } from './kpi-utilisation.ts';

/*
 * The KPI report, the failure trends and the partner scorecards, computed from one period's records
 * (kpi-records.ts). Pure: the same records give the same figures, whatever asks.
 */

export type KpiGrouping = 'partner' | 'technician' | 'model' | 'month';

const isRepair = (t: InsightTicket) => t.kind === 'predictive' || t.kind === 'corrective';

/** A failure that happened: a customer-reported ticket that names what failed. */
export const failedHere = (t: InsightTicket) =>
  t.kind === 'corrective' && t.failureMode !== null && t.cancelledAt === null;

/**
 * A failure prevented without a visit: a predictive ticket the platform resolved remotely (the device
 * answered the remote command and its telemetry or its risk showed the fault cleared: the lifecycle's
 * `resolved_remotely`), whose fix was not flagged since.
 */
export const fixedRemotelyHere = (t: InsightTicket) =>
  t.kind === 'predictive' &&
  t.failureMode !== null &&
  t.cancelledAt === null &&
  t.resolvedAt !== null &&
  t.fixedRemotely &&
  t.verified !== false;

/**
 * A failure prevented: a predictive visit that fixed something (a part fitted, or the fix verified),
 * or a predictive ticket fixed remotely.
 */
export const caughtHere = (t: InsightTicket) =>
  fixedRemotelyHere(t) ||
  (t.kind === 'predictive' &&
    t.failureMode !== null &&
    t.cancelledAt === null &&
    t.resolvedAt !== null &&
    (t.partsUsed > 0 || t.verified === true));

/** A predictive ticket whose work is over and found nothing to fix. */
export const falseAlarmHere = (t: InsightTicket) =>
  t.kind === 'predictive' && t.resolvedAt !== null && !caughtHere(t) && t.status !== 'resolved';

/** The tickets of the partner filter's jobs, those its technicians took; every ticket without one. */
export function jobsOf(data: InsightData): InsightTicket[] {
  const partner = data.filter.partnerId;
  return partner === null ? data.tickets : data.tickets.filter((t) => t.partnerId === partner);
}

/**
 * The fleet the trends count, and its tickets: under a partner filter the partner's devices (those at
 * the sites it services) and all their tickets, whoever took them; every device without one. Failures
 * and the devices they are divided by are the same population.
 */
export function fleetOf(data: InsightData): { devices: InsightDevice[]; tickets: InsightTicket[] } {
  const partner = data.filter.partnerId;
  if (partner === null) return { devices: data.devices, tickets: data.tickets };
  const devices = data.devices.filter((d) => d.servicedBy === partner);
  const ids = new Set(devices.map((d) => d.id));
  return { devices, tickets: data.tickets.filter((t) => ids.has(t.deviceId)) };
}

function ticketRecord(t: InsightTicket): TicketRecord {
  return {
    ticketId: t.id,
    kind: t.kind,
    partnerId: t.partnerId,
    technicianId: t.technicianId,
    deviceModel: t.model,
    openedAt: t.openedAt,
    firstOnSiteAt: t.firstOnSiteAt,
    resolvedAt: t.resolvedAt,
    cancelledAt: t.cancelledAt,
    slaDueAt: t.slaDueAt,
    firstTimeFix: t.resolvedAt !== null && isRepair(t) ? t.visits <= 1 : null,
    verified: t.verified,
    fixedRemotely: t.fixedRemotely,
    arrival: t.firstArrival,
    firstVisitTechnicianId: t.firstVisitTechnicianId,
    firstVisitPartnerId: t.firstVisitPartnerId,
  };
}

/**
 * The records automation/kpis.ts computes from: the jobs of the partner filter, and the working time
 * of the technicians the filters ask about (kpi-utilisation.ts).
 */
export function toKpiRecords(data: InsightData, asOf: number): KpiRecords {
  const jobs = jobsOf(data);
  const byId = new Map(jobs.map((t) => [t.id, t]));
  const partner = data.filter.partnerId;
  return {
    tickets: jobs.map(ticketRecord),
    // Under a partner filter, the first visits its technicians made, whoever holds the ticket since.
    ...(partner === null
      ? {}
      : {
          firstVisits: data.tickets.filter((t) => firstVisitPartnerOf(t) === partner).map(ticketRecord),
        }),
    failures: jobs
      .filter((t) => failedHere(t) || caughtHere(t))
      .map((t) => ({
        deviceId: t.deviceId,
        deviceModel: t.model,
        partnerId: t.partnerId,
        technicianId: t.technicianId,
        at: t.openedAt,
        prevented: caughtHere(t),
        fixedRemotely: fixedRemotelyHere(t),
      })),
    partsRequests: jobs
      .filter((t) => t.partsUsed > 0 && t.resolvedAt !== null)
      .map((t) => ({
        ticketId: t.id,
        partnerId: t.partnerId,
        technicianId: t.technicianId,
        deviceModel: t.model,
        at: t.openedAt,
        filledOnFirstVisit: t.secondVisitAt === null || (t.firstPartAt ?? 0) < t.secondVisitAt,
      })),
    feedback: data.feedback.flatMap((f) => {
      const t = byId.get(f.ticketId);
      if (!t) return [];
      return [
        {
          ticketId: f.ticketId,
          partnerId: t.partnerId,
          technicianId: t.technicianId,
          deviceModel: t.model,
          at: f.at,
          csat: f.csat,
          nps: f.nps,
          complaintOpenedAt: f.complaint ? f.at : null,
          complaintResolvedAt: f.complaintResolvedAt,
        },
      ];
    }),
    workingTime: workingTime(data, asOf),
  };
}

const monthLabel = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** The KPI report of the period, overall and in the groups asked for, labelled for people. */
export function kpiReport(data: InsightData, groupBy: KpiGrouping, asOf: number) {
  const records = toKpiRecords(data, asOf);
  const report = computeKpis(records, { asOf, utcOffsetMin: data.utcOffsetMin });
  const partnerNames = new Map(data.partners.map((p) => [p.id, p.name]));
  const technicianNames = new Map(data.technicians.map((t) => [t.id, t.name]));
  const source: Record<KpiGrouping, Record<string, KpiSet>> = {
    partner: report.byPartner,
    technician: report.byTechnician,
    model: report.byDeviceModel,
    month: report.byMonth,
  };
  const label = (key: string): string => {
    if (groupBy === 'partner') return partnerNames.get(key) ?? key;
    if (groupBy === 'technician') return technicianNames.get(key) ?? key;
    if (groupBy === 'model') return catalog[key as DeviceModel]?.label ?? key;
    return monthLabel.format(Date.parse(`${key}-01T00:00:00Z`));
  };
  return {
    overall: report.overall,
    groups: Object.entries(source[groupBy]).map(([key, kpis]) => ({ key, label: label(key), kpis })),
  };
}

/** Local months `YYYY-MM` from `from` to `to`, oldest first. */
export function monthsBetween(from: number, to: number, utcOffsetMin: number): string[] {
  const months: string[] = [];
  const first = monthKey(from, utcOffsetMin);
  let [y, m] = first.split('-').map(Number) as [number, number];
  const lastKey = monthKey(Math.max(from, to - 1), utcOffsetMin);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    months.push(key);
    if (key >= lastKey) return months;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
}

/** Epoch ms of the end of a local month. */
function monthEnd(key: string, utcOffsetMin: number): number {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return Date.UTC(y, m, 1) - utcOffsetMin * MINUTE_MS;
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

/**
 * Failures per device model and component by month, predicted against actual, MTBF and the share
 * of failures caught in time, of the fleet the filters ask about (fleetOf).
 */
export function computeTrends(data: InsightData) {
  const offset = data.utcOffsetMin;
  const { from, to } = data.filter;
  const fleet = fleetOf(data);
  const months = monthsBetween(from, to, offset);
  const cells = new Map<
    string,
    {
      month: string;
      model: DeviceModel;
      component: string;
      failures: number;
      caught: number;
      predicted: number;
      falseAlarms: number;
      fixedRemotely: number;
    }
  >();
  const cell = (t: InsightTicket) => {
    const month = monthKey(t.openedAt, offset);
    const component = t.component ?? 'unspecified';
    const key = `${month}|${t.model}|${component}`;
    let c = cells.get(key);
    if (!c) {
      c = {
        month,
        model: t.model,
        component,
        failures: 0,
        caught: 0,
        predicted: 0,
        falseAlarms: 0,
        fixedRemotely: 0,
      };
      cells.set(key, c);
    }
    return c;
  };
  for (const t of fleet.tickets) {
    if (failedHere(t)) cell(t).failures++;
    if (caughtHere(t)) cell(t).caught++;
    if (t.kind === 'predictive' && t.cancelledAt === null) cell(t).predicted++;
    if (falseAlarmHere(t)) cell(t).falseAlarms++;
    if (fixedRemotelyHere(t)) cell(t).fixedRemotely++;
  }
  const sorted = [...cells.values()].sort(
    (a, b) =>
      a.month.localeCompare(b.month) ||
      a.model.localeCompare(b.model) ||
      a.component.localeCompare(b.component),
  );
  const sum = (rows: typeof sorted) => ({
    failures: rows.reduce((s, r) => s + r.failures, 0),
    caught: rows.reduce((s, r) => s + r.caught, 0),
    predicted: rows.reduce((s, r) => s + r.predicted, 0),
    falseAlarms: rows.reduce((s, r) => s + r.falseAlarms, 0),
    fixedRemotely: rows.reduce((s, r) => s + r.fixedRemotely, 0),
  });
  const inService = (installedAt: number | null, at: number) => installedAt === null || installedAt < at;
  return {
    months: months.map((month) => {
      const totals = sum(sorted.filter((c) => c.month === month));
      const live = fleet.devices.filter((d) => inService(d.installedAt, monthEnd(month, offset)));
      const devices = live.length;
      const devicesByModel: Record<string, number> = {};
      for (const d of live) devicesByModel[d.model] = (devicesByModel[d.model] ?? 0) + 1;
      return {
        month,
        devices,
        devicesByModel,
        ...totals,
        failureRatePer100: devices === 0 ? null : ((totals.failures + totals.caught) / devices) * 100,
        caughtShare: ratio(totals.caught, totals.caught + totals.failures),
      };
    }),
    models: deviceModels.flatMap((model) => {
      const devices = fleet.devices.filter((d) => d.model === model);
      if (devices.length === 0) return [];
      const totals = sum(sorted.filter((c) => c.model === model));
      const deviceDays = devices.reduce(
        (s, d) => s + Math.max(0, to - Math.max(from, d.installedAt ?? from)) / DAY_MS,
        0,
      );
      return [
        {
          model,
          devices: devices.length,
          ...totals,
          mtbfDays: totals.failures === 0 ? null : deviceDays / totals.failures,
          caughtShare: ratio(totals.caught, totals.caught + totals.failures),
          precision: ratio(totals.caught, totals.caught + totals.falseAlarms),
        },
      ];
    }),
    cells: sorted,
  };
}

/** One scorecard per service partner: the KPIs manufacturers ask of them, and defective parts returned. */
export function partnerScorecards(data: InsightData, asOf: number) {
  const records = toKpiRecords(data, asOf);
  return data.partners.map((p) => {
    const mine = (r: { partnerId: string | null }) => r.partnerId === p.id;
    const tickets = data.tickets.filter(mine);
    // A part fitted a day ago and not back yet is not a failure to return: only units returned, or
    // out for longer than the return window, count.
    const owed = tickets.filter(
      (t) =>
        t.partsReturned >= t.partsToReturn ||
        (t.firstPartAt !== null && t.firstPartAt <= asOf - PART_RETURN_DAYS * DAY_MS),
    );
    const toReturn = owed.reduce((s, t) => s + t.partsToReturn, 0);
    const returned = owed.reduce((s, t) => s + Math.min(t.partsReturned, t.partsToReturn), 0);
    return {
      partnerId: p.id,
      name: p.name,
      kind: p.kind,
      technicians: data.technicians.filter(mine).length,
      jobs: tickets.filter((t) => t.cancelledAt === null).length,
      kpis: computeKpiSet(
        {
          tickets: records.tickets.filter(mine),
          // Its technicians' first visits, whoever holds the ticket since.
          firstVisits: (records.firstVisits ?? records.tickets).filter(
            (r) => firstVisitPartnerOf(r) === p.id,
          ),
          failures: records.failures.filter(mine),
          partsRequests: records.partsRequests.filter(mine),
          feedback: records.feedback.filter(mine),
          workingTime: records.workingTime.filter(mine),
        },
        asOf,
      ),
      partsToReturn: toReturn,
      partsReturned: returned,
      partsReturnRate: ratio(returned, toReturn),
    };
  });
}
