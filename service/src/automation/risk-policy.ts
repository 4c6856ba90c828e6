import {
  type DeviceModel,
  failureMode,
  type Risk,
  type RiskDriver,
  type Skill,
  ValidationError,
} from '@aftercare/core';
import { DAY_MS, HOUR_MS, type Priority, type TimeWindow } from './work.ts';

/**
 * What the service does with a new risk score for one device × component. Hysteresis: a ticket opens at
 * pFail ≥ pOpen and is only offered for cancellation after `closeAfterScores` consecutive scores below
 * pClose (< pOpen), so a score flickering around either threshold neither opens a second ticket nor
 * cancels the first. The ticket itself is the idempotency anchor: while one is open, nothing new opens.
 */

export interface RiskThresholds {
  pOpen: number;
  pClose: number;
  closeAfterScores: number;
}

/** Starting thresholds per device model; the model's evaluation should tune them. */
export const defaultRiskThresholds: Readonly<Record<DeviceModel, RiskThresholds>> = {
  'split-ac': { pOpen: 0.6, pClose: 0.35, closeAfterScores: 3 },
  refrigerator: { pOpen: 0.6, pClose: 0.35, closeAfterScores: 3 },
  'water-purifier': { pOpen: 0.65, pClose: 0.4, closeAfterScores: 3 },
  'washing-machine': { pOpen: 0.6, pClose: 0.35, closeAfterScores: 3 },
};

/** The open predictive ticket of the same device × component, if there is one. */
export interface OpenPredictiveTicket {
  ticketId: string;
  priority: Priority;
  openedAt: number;
  /** The AMC visit the work was folded into, if it was. */
  foldedIntoVisitId: string | null;
}

export interface RiskScore {
  scoredAt: number;
  pFail: number;
}

/** A visit still waiting for its day takes the work only when its window and the repair's share this long. */
const MIN_FLEXIBLE_FOLD_MS = 2 * DAY_MS;

/** An AMC visit of the device's contract that has not happened yet: its planned date, or its due window. */
export interface UpcomingAmcVisit {
  visitId: string;
  window: TimeWindow;
  /**
   * Not booked yet (its ticket waits for the route fill): it may go any time in `window`, so it can
   * take the work whenever its window and the repair's overlap, at the repair's time.
   */
  flexible?: boolean;
}

export interface RiskPolicyInput {
  risk: Risk;
  thresholds: RiskThresholds;
  openTicket: OpenPredictiveTicket | null;
  /** Earlier scores of the same device × component, any order; a copy of `risk` among them is ignored. */
  history: readonly RiskScore[];
  upcomingAmcVisits: readonly UpcomingAmcVisit[];
}

/** The work a failure mode needs, from the catalogue. */
export interface RequiredWork {
  deviceId: string;
  model: DeviceModel;
  component: string;
  failureMode: string;
  label: string;
  skill: Skill;
  certificationRequired: boolean;
  /** Null when no part fixes it (a controller fault is reset, not replaced). */
  partSku: string | null;
  repairMinutes: number;
  /** A remote command to offer before anyone travels; null when only a visit helps. */
  remoteFirst: { command: string } | null;
}

export interface PredictiveTicketPlan {
  /** One open predictive ticket per device and component: `${deviceId}:${component}`. */
  dedupeKey: string;
  priority: Priority;
  predictedFailureAt: number;
  /** When the technician should come: after a little notice, safely before the predicted failure. */
  appointmentWindow: TimeWindow;
  slaDueAt: number;
  work: RequiredWork;
  evidence: {
    pFail: number;
    daysLeft: number | null;
    horizonDays: number;
    modelVersion: string;
    scoredAt: number;
    dataUntil: number;
    drivers: RiskDriver[];
  };
}

export type RiskDecision =
  | { action: 'open'; ticket: PredictiveTicketPlan; reason: string }
  | { action: 'fold_into_amc_visit'; visitId: string; ticket: PredictiveTicketPlan; reason: string }
  | { action: 'keep'; ticketId: string; raisePriorityTo: Priority | null; reason: string }
  | { action: 'cancel_candidate'; ticketId: string; reason: string }
  | { action: 'none'; reason: string };

/** Customers get at least this much notice before a preventive visit. */
export const MIN_NOTICE_HOURS = 4;
/** Longest wait for a visit by priority: P1 next day … P4 within ten days. */
export const RESPONSE_HOURS: Readonly<Record<Priority, number>> = { 1: 24, 2: 48, 3: 120, 4: 240 };

/**
 * Priority from how likely and how soon: failure within 2 days (or within 4 at pFail ≥ 0.85) is P1;
 * within 5 days or pFail ≥ 0.85 is P2; within 10 days or pFail ≥ 0.7 is P3; the rest P4.
 * `daysLeft` null (no failure inside the model's range) counts as the horizon.
 */
export function riskPriority(pFail: number, daysLeft: number): Priority {
  if (daysLeft <= 2 || (daysLeft <= 4 && pFail >= 0.85)) return 1;
  if (daysLeft <= 5 || pFail >= 0.85) return 2;
  if (daysLeft <= 10 || pFail >= 0.7) return 3;
  return 4;
}

export function requiredWork(risk: Pick<Risk, 'deviceId' | 'model' | 'failureMode'>): RequiredWork {
  const mode = failureMode(risk.model, risk.failureMode);
  if (!mode) {
    throw new ValidationError(`${risk.model} has no failure mode ${risk.failureMode} in the catalogue`, [
      'failureMode',
    ]);
  }
  return {
    deviceId: risk.deviceId,
    model: risk.model,
    component: mode.component,
    failureMode: mode.id,
    label: mode.label,
    skill: mode.skill,
    certificationRequired: mode.certificationRequired,
    partSku: mode.part,
    repairMinutes: mode.repairMinutes,
    remoteFirst: mode.remoteFix ? { command: mode.remoteFix } : null,
  };
}

export function predictiveTicketPlan(risk: Risk): PredictiveTicketPlan {
  const daysLeft = risk.daysLeft ?? risk.horizonDays;
  const priority = riskPriority(risk.pFail, daysLeft);
  // Models give fractional days; tickets carry whole-minute times (epoch ms integers in the API).
  const wholeMinute = (ms: number) => Math.round(ms / 60_000) * 60_000;
  const predictedFailureAt = wholeMinute(risk.scoredAt + daysLeft * DAY_MS);
  const earliest = wholeMinute(risk.scoredAt + MIN_NOTICE_HOURS * HOUR_MS);
  const safety = wholeMinute(Math.max(12 * HOUR_MS, 0.25 * daysLeft * DAY_MS));
  const latest = Math.max(
    Math.min(predictedFailureAt - safety, risk.scoredAt + RESPONSE_HOURS[priority] * HOUR_MS),
    earliest + 4 * HOUR_MS,
  );
  return {
    dedupeKey: `${risk.deviceId}:${risk.component}`,
    priority,
    predictedFailureAt,
    appointmentWindow: { start: earliest, end: latest },
    slaDueAt: latest,
    work: requiredWork(risk),
    evidence: {
      pFail: risk.pFail,
      daysLeft: risk.daysLeft,
      horizonDays: risk.horizonDays,
      modelVersion: risk.modelVersion,
      scoredAt: risk.scoredAt,
      dataUntil: risk.dataUntil,
      drivers: risk.drivers,
    },
  };
}

function checkThresholds(t: RiskThresholds): void {
  const issues: string[] = [];
  if (!(t.pOpen > 0 && t.pOpen <= 1)) issues.push('pOpen must be in (0, 1]');
  if (!(t.pClose >= 0 && t.pClose < t.pOpen)) issues.push('pClose must be ≥ 0 and below pOpen');
  if (!(Number.isInteger(t.closeAfterScores) && t.closeAfterScores >= 1))
    issues.push('closeAfterScores must be a whole number ≥ 1');
  if (issues.length > 0) throw new ValidationError(`risk thresholds: ${issues.join('; ')}`, issues);
}

export function decideRiskAction(input: RiskPolicyInput): RiskDecision {
  const { risk, thresholds, openTicket } = input;
  checkThresholds(thresholds);
  const pct = (p: number) => `${Math.round(p * 100)}%`;

  if (openTicket) {
    if (risk.pFail >= thresholds.pClose) {
      const priority = riskPriority(risk.pFail, risk.daysLeft ?? risk.horizonDays);
      const raise = priority < openTicket.priority ? priority : null;
      return {
        action: 'keep',
        ticketId: openTicket.ticketId,
        raisePriorityTo: raise,
        reason: raise
          ? `risk ${pct(risk.pFail)} now calls for P${raise}`
          : `risk ${pct(risk.pFail)} still at or above the closing threshold (${pct(thresholds.pClose)})`,
      };
    }
    const scores = [
      ...input.history.filter((s) => s.scoredAt > openTicket.openedAt && s.scoredAt !== risk.scoredAt),
      { scoredAt: risk.scoredAt, pFail: risk.pFail },
    ].sort((a, b) => b.scoredAt - a.scoredAt);
    let below = 0;
    while (below < scores.length && scores[below]!.pFail < thresholds.pClose) below++;
    if (below >= thresholds.closeAfterScores) {
      return {
        action: 'cancel_candidate',
        ticketId: openTicket.ticketId,
        reason: `risk below the closing threshold (${pct(thresholds.pClose)}) for ${below} scores in a row`,
      };
    }
    return {
      action: 'keep',
      ticketId: openTicket.ticketId,
      raisePriorityTo: null,
      reason: `risk below the closing threshold for ${below} of the ${thresholds.closeAfterScores} scores in a row needed`,
    };
  }

  if (risk.pFail < thresholds.pOpen) {
    return {
      action: 'none',
      reason: `risk ${pct(risk.pFail)} below the opening threshold (${pct(thresholds.pOpen)})`,
    };
  }
  const ticket = predictiveTicketPlan(risk);
  const repair = ticket.appointmentWindow;
  // A booked visit must fall inside the repair's window; one still waiting for its day is made then.
  const visit = input.upcomingAmcVisits
    .flatMap((v) => {
      if (v.window.start >= risk.scoredAt && v.window.end <= repair.end) return [{ ...v, at: v.window }];
      if (!v.flexible) return [];
      const at = { start: Math.max(v.window.start, repair.start), end: Math.min(v.window.end, repair.end) };
      // A sliver of overlap (an evening, a Sunday) would leave the work no working hours to be done in.
      return at.end - at.start >= MIN_FLEXIBLE_FOLD_MS ? [{ ...v, at }] : [];
    })
    // A visit already booked is a trip made anyway: it takes the work before one still to be placed.
    .sort((a, b) => Number(a.flexible ?? false) - Number(b.flexible ?? false) || a.at.start - b.at.start)[0];
  if (visit) {
    return {
      action: 'fold_into_amc_visit',
      visitId: visit.visitId,
      ticket: { ...ticket, appointmentWindow: visit.at, slaDueAt: Math.min(ticket.slaDueAt, visit.at.end) },
      reason: visit.flexible
        ? "the device's AMC visit is due inside the repair's window: it is made with the repair"
        : "the device's AMC visit, already booked, comes before the latest safe repair time: the repair is made on it",
    };
  }
  return {
    action: 'open',
    ticket,
    reason: `risk ${pct(risk.pFail)} at or above the opening threshold (${pct(thresholds.pOpen)})`,
  };
}
