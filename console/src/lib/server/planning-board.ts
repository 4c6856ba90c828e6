import type { DispatchBoardJob, DispatchDayView } from '@aftercare/core';
import { humanize } from '../format.ts';

/**
 * The dispatch board drawn on the server: the hour axis of the day, and for each technician the
 * working hours, drives and jobs as percentages of it, every time already written in the technicians'
 * own zone (the planner's browser may be elsewhere). The page only places boxes.
 */

export interface BoardJob {
  ticketId: string;
  title: string;
  who: string;
  kind: string;
  priority: string;
  status: string;
  skill: string;
  /** "10:30–11:15" */
  time: string;
  /** "HH:MM" of the start, for the reassign form. */
  startValue: string;
  slaDue: string;
  slaMet: boolean | null;
  travel: string | null;
  left: number;
  width: number;
  travelLeft: number | null;
  travelWidth: number | null;
  /** Where the SLA falls on the axis, when inside it. */
  slaPct: number | null;
  technicianId: string | null;
  durationMinutes: number;
  /** The evening route fill gives it a day (an AMC visit, predictive work that is not urgent). */
  routeFill: boolean;
}

export interface BoardRow {
  id: string;
  name: string;
  partnerName: string;
  available: boolean;
  unavailableReason: string | null;
  hours: string | null;
  hoursLeft: number | null;
  hoursWidth: number | null;
  load: string;
  loadPct: number;
  travel: string;
  warnings: string[];
  skills: string[];
  jobs: BoardJob[];
}

export interface Board {
  ticks: { label: string; pct: number }[];
  rows: BoardRow[];
  unassigned: BoardJob[];
  /** Every technician for the reassign form: who is free, and what they can do. */
  technicians: { id: string; name: string; available: boolean; skills: string[]; note: string }[];
  nowPct: number | null;
}

const hourMs = 3_600_000;

/** The customer and the site, once: a household's site is named after the customer already. */
function whoOf(j: DispatchBoardJob): string {
  const { customerName: customer, siteName: site } = j;
  if (customer && site) return site.includes(customer) ? site : `${customer} · ${site}`;
  return customer ?? site ?? j.deviceId;
}

export function buildBoard(day: DispatchDayView, now = Date.now()): Board {
  const clock = new Intl.DateTimeFormat('en-GB', {
    timeZone: day.timezone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const dated = new Intl.DateTimeFormat('en-GB', {
    timeZone: day.timezone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const time = (ts: number) => clock.format(ts);
  const sameDay = (ts: number) => ts >= day.dayStart && ts < day.dayEnd;

  const starts: number[] = [];
  const ends: number[] = [];
  for (const t of day.technicians)
    if (t.workingHours) {
      starts.push(t.workingHours.start);
      ends.push(t.workingHours.end);
    }
  for (const j of day.jobs) {
    if (j.arriveAt !== null && j.travelMinutes !== null) starts.push(j.arriveAt - j.travelMinutes * 60_000);
    if (j.endAt !== null) ends.push(j.endAt);
  }
  const floorHour = (ts: number) => day.dayStart + Math.floor((ts - day.dayStart) / hourMs) * hourMs;
  const ceilHour = (ts: number) => day.dayStart + Math.ceil((ts - day.dayStart) / hourMs) * hourMs;
  const axisStart = Math.max(
    day.dayStart,
    floorHour(starts.length ? Math.min(...starts) : day.dayStart + 8 * hourMs),
  );
  const axisEnd = Math.min(
    day.dayEnd,
    ceilHour(ends.length ? Math.max(...ends) : day.dayStart + 20 * hourMs),
  );
  const span = Math.max(hourMs, axisEnd - axisStart);
  const pct = (ts: number) => Math.min(100, Math.max(0, ((ts - axisStart) / span) * 100));

  const ticks: Board['ticks'] = [];
  for (let t = axisStart; t <= axisEnd; t += hourMs) ticks.push({ label: time(t), pct: pct(t) });

  const boardJob = (j: DispatchBoardJob): BoardJob => {
    const start = j.startAt ?? j.appointment?.start ?? null;
    const end = j.endAt ?? j.appointment?.end ?? null;
    const driveFrom =
      j.arriveAt !== null && j.travelMinutes !== null ? j.arriveAt - j.travelMinutes * 60_000 : null;
    return {
      ticketId: j.ticketId,
      title: j.title,
      who: whoOf(j),
      kind: j.kind,
      priority: j.priority,
      status: j.status,
      skill: j.skill ? humanize(j.skill) : 'Any skill',
      time: start !== null && end !== null ? `${time(start)}–${time(end)}` : 'no slot yet',
      startValue: j.appointment && sameDay(j.appointment.start) ? time(j.appointment.start) : '',
      slaDue: sameDay(j.slaDueAt) ? `due ${time(j.slaDueAt)}` : `due ${dated.format(j.slaDueAt)}`,
      slaMet: j.slaMet,
      travel:
        j.travelKm !== null && j.travelMinutes !== null
          ? `${j.travelKm.toFixed(1)} km, ${Math.round(j.travelMinutes)} min drive`
          : null,
      left: start !== null ? pct(start) : 0,
      width: start !== null && end !== null ? Math.max(0.8, pct(end) - pct(start)) : 0,
      travelLeft: driveFrom !== null && j.arriveAt !== null ? pct(driveFrom) : null,
      travelWidth: driveFrom !== null && j.arriveAt !== null ? pct(j.arriveAt) - pct(driveFrom) : null,
      slaPct: j.slaDueAt >= axisStart && j.slaDueAt <= axisEnd ? pct(j.slaDueAt) : null,
      technicianId: j.technicianId,
      durationMinutes: j.durationMinutes,
      routeFill: j.waitsForRouteFill,
    };
  };

  const rows: BoardRow[] = day.technicians.map((t) => {
    const jobs = day.jobs.filter((j) => j.technicianId === t.id).map(boardJob);
    const loadPct = t.capacityMinutes > 0 ? Math.round((t.workMinutes / t.capacityMinutes) * 100) : 0;
    return {
      id: t.id,
      name: t.name,
      partnerName: t.partnerName,
      available: t.available,
      unavailableReason: t.unavailableReason,
      hours: t.workingHours ? `${time(t.workingHours.start)}–${time(t.workingHours.end)}` : null,
      hoursLeft: t.workingHours ? pct(t.workingHours.start) : null,
      hoursWidth: t.workingHours ? pct(t.workingHours.end) - pct(t.workingHours.start) : null,
      load: `${Math.round(t.workMinutes)} of ${t.capacityMinutes} min`,
      loadPct,
      travel: `${t.travelKm.toFixed(1)} km`,
      warnings: t.warnings,
      skills: t.skills.map((s) => humanize(s.skill)),
      jobs,
    };
  });
  // Busy technicians first, then those free to take work, then those off.
  const rank = (r: BoardRow) => (r.jobs.length > 0 ? 0 : r.available ? 1 : 2);
  rows.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));

  return {
    ticks,
    rows,
    unassigned: day.unassigned.map(boardJob),
    technicians: rows.map((r) => ({
      id: r.id,
      name: r.name,
      available: r.available,
      skills: r.skills,
      note: r.available ? `${r.partnerName} · ${r.load}` : (r.unavailableReason ?? 'off'),
    })),
    nowPct: now >= axisStart && now <= axisEnd ? pct(now) : null,
  };
}
