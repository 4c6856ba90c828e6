import type { Technician } from './dispatch-types.ts';
import type { Position } from './geo.ts';
import { MIN_NOTICE_HOURS } from './risk-policy.ts';
import { NETWORK_WORKING_WEEKDAYS } from './service-network.ts';
import { DAY_MS, HOUR_MS, localDayStart, MINUTE_MS, type TimeWindow } from './work.ts';

/**
 * AMC (annual maintenance contract) visits: spread evenly over the contract, each due in the middle of
 * its share of the year with a window around it, then booked onto days the servicing partner has room
 * for (the due day first, else the nearest day with room inside the window), plus the lists planners
 * act on: renewals coming due and visits at risk of missing their window.
 */

export interface AmcContract {
  contractId: string;
  customerId: string;
  siteId: string;
  sitePosition: Position;
  /** The partner that services the site. */
  partnerId: string;
  startsAt: number;
  endsAt: number;
  visitsPerYear: number;
  deviceCount: number;
  /** When it was renewed (a new contract takes over); null or absent while it has not been. */
  renewedAt?: number | null;
}

export interface AmcVisit {
  /** Stable: `${contractId}-v${sequence}`, so re-running the schedule never duplicates a visit. */
  visitId: string;
  contractId: string;
  partnerId: string;
  siteId: string;
  sequence: number;
  dueAt: number;
  window: TimeWindow;
  durationMinutes: number;
}

export interface ScheduledAmcVisit extends AmcVisit {
  /** Local midnight of the booked day. */
  scheduledDay: number;
  /** Days from the due day (negative: earlier). */
  shiftedDays: number;
}

/** What a partner can give AMC visits: minutes per day (the rest stays free for repairs) and working days. */
export interface PartnerAmcCapacity {
  partnerId: string;
  amcMinutesPerDay: number;
  /** 0 = Sunday … 6 = Saturday. */
  workingWeekdays: readonly number[];
}

/** Minutes already booked on a partner's day (earlier runs, visits moved by hand). */
export interface BookedMinutes {
  partnerId: string;
  day: number;
  minutes: number;
}

export interface AmcScheduleOptions {
  utcOffsetMin: number;
  /** Visits whose window ended before it (epoch ms) are skipped; nothing is booked before its day. */
  from: number;
  /**
   * Nothing is booked before this day (epoch ms, ≥ `from`): e.g. tomorrow when today's working hours
   * are over. A visit whose window closes before it is booked on its first day, late.
   */
  bookFrom?: number;
  setupMinutes?: number;
  minutesPerDevice?: number;
  /** Width of a visit's window as a share of the interval between visits (0.5: ±¼ interval). */
  windowShare?: number;
  /** Visits already in the database: not scheduled again. */
  existingVisitIds?: ReadonlySet<string>;
}

export const defaultAmcVisit = { setupMinutes: 20, minutesPerDevice: 25, windowShare: 0.5 } as const;

/** Minutes one device's visit ticket takes at a site of `deviceCount` devices: its share of the setup and its own time. */
export function amcTicketMinutes(deviceCount: number): number {
  const site = defaultAmcVisit.setupMinutes + deviceCount * defaultAmcVisit.minutesPerDevice;
  return Math.max(15, Math.round(site / Math.max(1, deviceCount)));
}

/**
 * When an AMC visit can be booked from at `now`: from the customer's notice on, on that day while a
 * visit still fits before the working day ends (`dayEndsMinute`, minutes after local midnight), else
 * from the next day's start. A run in the evening books from tomorrow, not onto a day that is over.
 */
export function amcBookFrom(now: number, utcOffsetMin: number, dayEndsMinute: number): number {
  const earliest = now + MIN_NOTICE_HOURS * HOUR_MS;
  const earliestDay = localDayStart(earliest, utcOffsetMin);
  const shortestVisitMs = amcTicketMinutes(1) * MINUTE_MS;
  return earliest + shortestVisitMs <= earliestDay + dayEndsMinute * MINUTE_MS
    ? earliest
    : earliestDay + DAY_MS;
}

/** The visits a contract entitles, evenly spread: visit k is due at (k + ½) × interval from the start. */
export function amcVisitsFor(contract: AmcContract, options: Partial<AmcScheduleOptions> = {}): AmcVisit[] {
  const length = contract.endsAt - contract.startsAt;
  if (length <= 0 || contract.visitsPerYear <= 0) return [];
  const count = Math.max(1, Math.round((contract.visitsPerYear * length) / (365 * DAY_MS)));
  const interval = length / count;
  const half = (interval * (options.windowShare ?? defaultAmcVisit.windowShare)) / 2;
  const duration =
    (options.setupMinutes ?? defaultAmcVisit.setupMinutes) +
    contract.deviceCount * (options.minutesPerDevice ?? defaultAmcVisit.minutesPerDevice);
  return Array.from({ length: count }, (_, k) => {
    const dueAt = Math.round(contract.startsAt + (k + 0.5) * interval);
    return {
      visitId: `${contract.contractId}-v${k + 1}`,
      contractId: contract.contractId,
      partnerId: contract.partnerId,
      siteId: contract.siteId,
      sequence: k + 1,
      dueAt,
      window: {
        start: Math.max(contract.startsAt, dueAt - half),
        end: Math.min(contract.endsAt, dueAt + half),
      },
      durationMinutes: duration,
    };
  });
}

/** 0 = Sunday … 6 = Saturday, of a local midnight. */
export function weekdayOf(dayStart: number, utcOffsetMin: number): number {
  const n = Math.round((dayStart + utcOffsetMin * MINUTE_MS) / DAY_MS);
  return (((n + 4) % 7) + 7) % 7;
}

/** AMC capacity per partner from its available technicians: `share` of their daily capacity, Monday to Saturday. */
export function partnerAmcCapacity(technicians: readonly Technician[], share = 0.35): PartnerAmcCapacity[] {
  const minutes = new Map<string, number>();
  for (const t of technicians) {
    if (t.available) minutes.set(t.partnerId, (minutes.get(t.partnerId) ?? 0) + t.capacityMinutes * share);
  }
  return [...minutes].map(([partnerId, m]) => ({
    partnerId,
    amcMinutesPerDay: Math.round(m),
    workingWeekdays: NETWORK_WORKING_WEEKDAYS,
  }));
}

export interface AmcSchedule {
  scheduled: ScheduledAmcVisit[];
  unscheduled: { visit: AmcVisit; reason: 'no_capacity_in_window' | 'partner_has_no_capacity' }[];
}

/**
 * Creates and books the contracts' visits. Visits with the earliest window end go first (they have the
 * least room to move); each takes its due day when the partner has the minutes, else the nearest working
 * day with room inside its window (earlier before later on a tie). No day is ever booked past capacity.
 */
export function scheduleAmcVisits(
  contracts: readonly AmcContract[],
  capacity: readonly PartnerAmcCapacity[],
  booked: readonly BookedMinutes[],
  options: AmcScheduleOptions,
): AmcSchedule {
  const { utcOffsetMin } = options;
  const dayOf = (ts: number) => localDayStart(ts, utcOffsetMin);
  const firstDay = dayOf(Math.max(options.from, options.bookFrom ?? options.from));
  const used = new Map<string, number>();
  const key = (partnerId: string, day: number) => `${partnerId}@${day}`;
  for (const b of booked)
    used.set(key(b.partnerId, b.day), (used.get(key(b.partnerId, b.day)) ?? 0) + b.minutes);
  const capacityOf = new Map(capacity.map((c) => [c.partnerId, c]));

  const visits = contracts
    .flatMap((c) => amcVisitsFor(c, options))
    .filter((v) => v.window.end >= options.from && !options.existingVisitIds?.has(v.visitId))
    .sort((a, b) => a.window.end - b.window.end || a.dueAt - b.dueAt || a.visitId.localeCompare(b.visitId));

  const result: AmcSchedule = { scheduled: [], unscheduled: [] };
  for (const visit of visits) {
    const partner = capacityOf.get(visit.partnerId);
    if (!partner || partner.amcMinutesPerDay <= 0) {
      result.unscheduled.push({ visit, reason: 'partner_has_no_capacity' });
      continue;
    }
    const dueDay = Math.max(dayOf(visit.dueAt), firstDay);
    const lastDay = Math.max(dayOf(visit.window.end), firstDay);
    const days: number[] = [];
    for (let d = Math.max(dayOf(visit.window.start), firstDay); d <= lastDay; d += DAY_MS) days.push(d);
    days.sort((a, b) => Math.abs(a - dueDay) - Math.abs(b - dueDay) || a - b);
    const day = days.find(
      (d) =>
        partner.workingWeekdays.includes(weekdayOf(d, utcOffsetMin)) &&
        (used.get(key(partner.partnerId, d)) ?? 0) + visit.durationMinutes <= partner.amcMinutesPerDay,
    );
    if (day === undefined) {
      result.unscheduled.push({ visit, reason: 'no_capacity_in_window' });
      continue;
    }
    used.set(
      key(partner.partnerId, day),
      (used.get(key(partner.partnerId, day)) ?? 0) + visit.durationMinutes,
    );
    result.scheduled.push({
      ...visit,
      scheduledDay: day,
      shiftedDays: Math.round((day - dayOf(visit.dueAt)) / DAY_MS),
    });
  }
  return result;
}

export interface RenewalDue {
  contractId: string;
  customerId: string;
  endsAt: number;
  daysLeft: number;
}

/** Contracts ending within `withinDays` of `now` that have not been renewed, soonest first. */
export function renewalsDue(
  contracts: readonly AmcContract[],
  now: number,
  withinDays: number,
): RenewalDue[] {
  return contracts
    .filter((c) => !c.renewedAt && c.endsAt >= now && c.endsAt <= now + withinDays * DAY_MS)
    .sort((a, b) => a.endsAt - b.endsAt || a.contractId.localeCompare(b.contractId))
    .map((c) => ({
      contractId: c.contractId,
      customerId: c.customerId,
      endsAt: c.endsAt,
      daysLeft: Math.floor((c.endsAt - now) / DAY_MS),
    }));
}

/** A visit as the database knows it. */
export interface AmcVisitStatus {
  visitId: string;
  contractId: string;
  window: TimeWindow;
  /** Booked start (epoch ms); null while unbooked. */
  scheduledAt: number | null;
  completedAt: number | null;
}

export type AmcVisitRisk =
  /** The window closed without the visit. */
  | 'overdue'
  /** Booked for a date after its window ends. */
  | 'scheduled_after_window'
  /** Its booked day has passed and it was not done. */
  | 'scheduled_date_passed'
  /** Not booked, and the window closes within the warning period. */
  | 'unscheduled_window_closing';

/** Visits not done that will miss, or have missed, their window; the most urgent first. */
export function visitsAtRisk(
  visits: readonly AmcVisitStatus[],
  now: number,
  warnDays = 7,
): { visitId: string; contractId: string; risk: AmcVisitRisk; windowEndsAt: number }[] {
  return visits
    .flatMap((v) => {
      if (v.completedAt !== null) return [];
      let risk: AmcVisitRisk | null = null;
      if (now > v.window.end) risk = 'overdue';
      else if (v.scheduledAt !== null && v.scheduledAt > v.window.end) risk = 'scheduled_after_window';
      else if (v.scheduledAt !== null && v.scheduledAt + DAY_MS < now) risk = 'scheduled_date_passed';
      else if (v.scheduledAt === null && v.window.end - now <= warnDays * DAY_MS)
        risk = 'unscheduled_window_closing';
      return risk ? [{ visitId: v.visitId, contractId: v.contractId, risk, windowEndsAt: v.window.end }] : [];
    })
    .sort((a, b) => a.windowEndsAt - b.windowEndsAt || a.visitId.localeCompare(b.visitId));
}
