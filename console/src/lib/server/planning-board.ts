import { type DispatchBoardJob, type DispatchDayView, notBegunStatuses } from '@aftercare/core';
import { humanize } from '../format.ts';

/**
 * The dispatch board drawn on the server: the hour axis of the day, and for each technician the
 * working hours, drives and jobs as percentages of it, every time already written in the technicians'
 * own zone (the planner's browser may be elsewhere). The page only places boxes.
 */

export interface BoardJob {
  /** The job's key on the board: its ticket's id, or for a visit made, with when it began. */
  key: string;
  ticketId: string;
  title: string;
  who: string;
  /** Two jobs of one kind at one site (two ACs' maintenance visits) differ only by it. */
  deviceId: string;
  kind: string;
  priority: string;
  status: string;
  /** Where the work stands: only work not yet begun may be moved; work done stays on its day. */
  progress: JobProgress;
  skill: string;
  /** The catalogue skill the job asks for; null when any technician's own skill will do. */
  skillId: string | null;
  certificationRequired: boolean;
  /** "10:30–11:15": as the route holds it, or when it was made for a visit done. */
  time: string;
  /** "14:00–15:00", the slot agreed with the customer, where it differs from `time`; else null. */
  booked: string | null;
  /** "HH:MM" of the start, for the reassign form. */
  startValue: string;
  slaDue: string;
  slaMet: boolean | null;
  travel: string | null;
  left: number;
  width: number;
  /** The drive as the technician makes it: leaving in time to begin at the start, not at the earliest. */
  travelLeft: number | null;
  travelWidth: number | null;
  /** "HH:MM" the technician sets off. */
  leaves: string | null;
  /** The box is too narrow for the name and time: they are written beside it, to its right. */
  labelOutside: boolean;
  /** Free axis to the right of the box, up to the next drive or the end of the axis (percent). */
  labelRoom: number;
  /** Where the SLA falls on the axis, when inside it. */
  slaPct: number | null;
  technicianId: string | null;
  durationMinutes: number;
  /** The evening route fill gives it a day (an AMC visit, predictive work that is not urgent). */
  routeFill: boolean;
}

export type JobProgress = 'to_do' | 'on_site' | 'done';

/** A job as the board draws it: a visit made is done, whatever its ticket became since (reopened). */
export function progressOf(job: Pick<DispatchBoardJob, 'status' | 'made'>): JobProgress {
  if (job.made !== null) return 'done';
  if (job.status === 'on_site') return 'on_site';
  return notBegunStatuses.some((s) => s === job.status) ? 'to_do' : 'done';
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

export interface BoardTechnician {
  id: string;
  name: string;
  available: boolean;
  skills: string[];
  /** Catalogue skills, to match a job's `skillId`. */
  skillIds: string[];
  /** Skills whose certification holds for the whole day. */
  certifiedSkillIds: string[];
  note: string;
}

export interface BoardNotice {
  /** The rule and where it puts the earliest new work, in words. */
  text: string;
  /** Where the notice that runs from now ends on the axis, when it ends inside it. */
  endPct: number | null;
  /** "HH:MM" it ends, when on the day. */
  ends: string | null;
}

export interface Board {
  ticks: { label: string; pct: number }[];
  rows: BoardRow[];
  unassigned: BoardJob[];
  /** Every technician for the reassign form: who is free, and what they can do. */
  technicians: BoardTechnician[];
  nowPct: number | null;
  /** Why no new work starts before a point of the day; null on a day the notice does not reach. */
  notice: BoardNotice | null;
}

const hourMs = 3_600_000;
const minuteMs = 60_000;
/**
 * Below this share of the axis a box cannot hold a job's name and time (about 85 px on the
 * narrowest board), so they are written beside it.
 */
const labelInsidePct = 12;
/** Room beside a box worth writing in: less would show two or three letters. */
const labelOutsideMinPct = 5;

/** "4 h", "90 min". */
function duration(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

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
  const leaveAt = (j: DispatchBoardJob) =>
    j.startAt !== null && j.travelMinutes !== null ? j.startAt - j.travelMinutes * minuteMs : null;
  for (const j of day.jobs) {
    const leaves = leaveAt(j);
    if (leaves !== null) starts.push(leaves);
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
    // The route arrives as early as it can and then waits for the slot; a technician waits at home
    // or at the last job rather than on the road, so the drive ends where the work begins.
    const leaves = leaveAt(j);
    const left = start !== null ? pct(start) : 0;
    return {
      key: j.key,
      ticketId: j.ticketId,
      title: j.title,
      who: whoOf(j),
      deviceId: j.deviceId,
      kind: j.kind,
      priority: j.priority,
      status: j.status,
      progress: progressOf(j),
      skill: j.skill ? humanize(j.skill) : 'Any skill',
      skillId: j.skill,
      certificationRequired: j.certificationRequired,
      time: start !== null && end !== null ? `${time(start)}–${time(end)}` : 'no slot yet',
      booked:
        j.appointment && start !== null && end !== null && j.appointment.start !== start
          ? `${time(j.appointment.start)}–${time(j.appointment.end)}`
          : null,
      startValue: j.appointment && sameDay(j.appointment.start) ? time(j.appointment.start) : '',
      slaDue: sameDay(j.slaDueAt) ? `due ${time(j.slaDueAt)}` : `due ${dated.format(j.slaDueAt)}`,
      slaMet: j.slaMet,
      travel:
        j.travelKm !== null && j.travelMinutes !== null
          ? `${j.travelKm.toFixed(1)} km, ${Math.round(j.travelMinutes)} min drive`
          : null,
      left,
      width: start !== null && end !== null ? Math.max(0.8, pct(end) - left) : 0,
      travelLeft: leaves !== null ? pct(leaves) : null,
      travelWidth: leaves !== null && j.startAt !== null ? pct(j.startAt) - pct(leaves) : null,
      leaves: leaves !== null ? time(leaves) : null,
      labelOutside: false,
      labelRoom: 0,
      slaPct: j.slaDueAt >= axisStart && j.slaDueAt <= axisEnd ? pct(j.slaDueAt) : null,
      technicianId: j.technicianId,
      durationMinutes: j.durationMinutes,
      routeFill: j.waitsForRouteFill,
    };
  };

  const rows: BoardRow[] = day.technicians.map((t) => {
    const jobs = placeLabels(day.jobs.filter((j) => j.technicianId === t.id).map(boardJob));
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
  const byId = new Map(day.technicians.map((t) => [t.id, t]));

  return {
    ticks,
    rows,
    unassigned: day.unassigned.map(boardJob),
    technicians: rows.map((r) => {
      const own = byId.get(r.id)!.skills;
      return {
        id: r.id,
        name: r.name,
        available: r.available,
        skills: r.skills,
        skillIds: own.map((s) => s.skill),
        // As the service qualifies: a certification must hold to the end of the job's date.
        certifiedSkillIds: own
          .filter((s) => s.certifiedUntil !== null && s.certifiedUntil >= day.dayEnd)
          .map((s) => s.skill),
        note: r.available ? `${r.partnerName} · ${r.load}` : (r.unavailableReason ?? 'off'),
      };
    }),
    nowPct: now >= axisStart && now <= axisEnd ? pct(now) : null,
    notice: noticeOf(day, now, time, (ts) => (ts >= axisStart && ts <= axisEnd ? pct(ts) : null)),
  };
}

/**
 * Where each job's name and time go: inside its box when it is wide enough, else beside it on the
 * right, in the free axis up to the next drive.
 */
function placeLabels(jobs: BoardJob[]): BoardJob[] {
  const ordered = [...jobs].sort((a, b) => a.left - b.left);
  return jobs.map((job) => {
    const next = ordered.find((o) => o !== job && o.left >= job.left + job.width);
    const room = Math.max(0, (next ? (next.travelLeft ?? next.left) : 100) - (job.left + job.width));
    return {
      ...job,
      labelOutside: job.width < labelInsidePct && room >= labelOutsideMinPct,
      labelRoom: room,
    };
  });
}

/**
 * The customer notice as it shapes the day: counted from now, nothing new starts before it ends.
 * Said on today's board, and on a later day the notice still reaches into (late in the evening).
 */
function noticeOf(
  day: DispatchDayView,
  now: number,
  time: (ts: number) => string,
  onAxis: (ts: number) => number | null,
): BoardNotice | null {
  const inDay = (ts: number) => ts >= day.dayStart && ts < day.dayEnd;
  const { preventiveMinutes, correctiveMinutes } = day.bookingNotice;
  const ends = now + preventiveMinutes * minuteMs;
  if (!inDay(now) && !inDay(ends)) return null;
  const reported = now + correctiveMinutes * minuteMs;
  const earliest = inDay(ends) ? `none starts before ${time(ends)}` : 'none starts today';
  const corrective =
    correctiveMinutes < preventiveMinutes && inDay(reported)
      ? `; a problem a customer reports can be booked ${duration(correctiveMinutes)} ahead, from ${time(reported)}`
      : '';
  return {
    text: `New preventive and AMC visits are booked at least ${duration(preventiveMinutes)} ahead (customer notice), so ${earliest}${corrective}.`,
    endPct: inDay(ends) ? onAxis(ends) : null,
    ends: inDay(ends) ? time(ends) : null,
  };
}
