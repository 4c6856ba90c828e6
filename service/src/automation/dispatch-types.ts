import type { Skill } from '@aftercare/core';
import type { Position } from './geo.ts';
import { DAY_MS, type Priority, type TimeWindow } from './work.ts';

/**
 * The inputs and outputs of dispatch planning for one day. Plain data: ids are strings, times epoch ms,
 * durations minutes, positions {lat, lon}. The service reads these from its tables and writes the plan's
 * routes back as assignments.
 */

/** A skill a technician has, and until when their certification for it is valid. */
export interface SkillQualification {
  skill: Skill;
  /** Epoch ms the certification expires; null when the technician holds the skill without a certification. */
  certifiedUntil: number | null;
}

export interface Technician {
  id: string;
  partnerId: string;
  name: string;
  skills: readonly SkillQualification[];
  /** Where the working day starts and ends. */
  homeBase: Position;
  /** Local minutes after midnight, e.g. 540–1080 for 09:00–18:00. Every job must end by `endMinute`. */
  workingHours: { startMinute: number; endMinute: number };
  /** On-site work minutes the technician may be given in a day (travel not included). */
  capacityMinutes: number;
  /** False when on leave, sick or otherwise off for the day. */
  available: boolean;
}

export interface DispatchJob {
  id: string;
  position: Position;
  skill: Skill;
  /** The failure mode's catalogue flag: only a technician with a certification valid on the day may go. */
  certificationRequired: boolean;
  /** Time on site (catalogue `repairMinutes` for repairs). */
  durationMinutes: number;
  /** The technician must be on site by then for the SLA to be met (epoch ms). */
  slaDueAt: number;
  /** Appointment agreed with the customer: the technician starts work inside it (arriving early means waiting). */
  window: TimeWindow | null;
  priority: Priority;
}

/** One day to plan: `dayStart` is the local midnight the technicians' working hours count from. */
export interface DispatchDay {
  dayStart: number;
  technicians: readonly Technician[];
  jobs: readonly DispatchJob[];
}

export interface PlannedStop {
  jobId: string;
  /** Epoch ms. */
  arriveAt: number;
  startAt: number;
  endAt: number;
  /** Road km and minutes from the previous stop (or from the home base). */
  travelKm: number;
  travelMinutes: number;
  slaMet: boolean;
}

export interface TechnicianRoute {
  technicianId: string;
  stops: PlannedStop[];
  /** All driving of the day, including the way back to the home base. */
  travelKm: number;
  travelMinutes: number;
  workMinutes: number;
}

/** Why a job got no technician, checked in this order. */
export type UnassignedReason =
  /** Nobody in the network has the skill. */
  | 'no_skilled_technician'
  /** Technicians have the skill, but none holds a certification valid on the day. */
  | 'certification_invalid'
  /** Qualified technicians exist, but none is working that day. */
  | 'no_technician_available'
  /** Qualified technicians work that day, but none has the hours, capacity or a slot in the appointment window. */
  | 'no_time_left';

export interface UnassignedJob {
  jobId: string;
  reason: UnassignedReason;
}

export interface DispatchMetrics {
  jobs: number;
  assigned: number;
  unassigned: number;
  /** Jobs started on site by their SLA due time; unassigned jobs count as missed. */
  slaMet: number;
  /** slaMet ÷ jobs × 100. */
  slaMetPct: number;
  travelKm: number;
  /** travelKm ÷ assigned jobs: comparable between plans that place different numbers of jobs. */
  travelKmPerJob: number;
  travelMinutes: number;
  techniciansUsed: number;
  /** Standard deviation of busy minutes (work + travel) over the technicians working that day. */
  loadStdDevMinutes: number;
}

export interface DispatchPlan {
  planner: 'greedy' | 'optimised' | 'replan';
  dayStart: number;
  /** One route per technician of the day, in the day's order (empty for those with no work). */
  routes: TechnicianRoute[];
  unassigned: UnassignedJob[];
  metrics: DispatchMetrics;
}

/**
 * Whether a technician may do a job on the day: they have the skill, and when the job needs a
 * certification, it is valid for the whole of the job's date (it expires at or after the next midnight).
 * Availability, hours and capacity are checked by the planners, not here.
 */
export function isQualified(technician: Technician, job: DispatchJob, dayStart: number): boolean {
  const qualification = technician.skills.find((s) => s.skill === job.skill);
  if (!qualification) return false;
  if (!job.certificationRequired) return true;
  return qualification.certifiedUntil !== null && qualification.certifiedUntil >= dayStart + DAY_MS;
}
