import { type Risk, ValidationError } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import {
  decideRiskAction,
  defaultRiskThresholds,
  type OpenPredictiveTicket,
  predictiveTicketPlan,
  type RiskDecision,
  type RiskScore,
  riskPriority,
  type UpcomingAmcVisit,
} from './risk-policy.ts';
import { DAY_MS, HOUR_MS } from './work.ts';

const t0 = Date.UTC(2026, 5, 1, 6);
const thresholds = { pOpen: 0.6, pClose: 0.35, closeAfterScores: 3 };

function risk(overrides: Partial<Risk> = {}): Risk {
  return {
    deviceId: 'sim-ac-00007',
    model: 'split-ac',
    component: 'compressor',
    failureMode: 'compressor_wear',
    pFail: 0.7,
    daysLeft: 12,
    horizonDays: 14,
    modelVersion: 'gru-2026-05-30',
    scoredAt: t0,
    dataUntil: t0 - 5 * 60_000,
    drivers: [
      {
        metric: 'discharge_temp_c',
        label: 'Discharge temperature',
        unit: '°C',
        change: 6.1,
        overDays: 9,
        direction: 'up',
        weight: 0.6,
        text: 'Discharge temperature +6.1 °C over 9 days',
      },
    ],
    ...overrides,
  };
}

/**
 * Plays a series of scores through the policy the way the service does: it keeps the one open ticket,
 * opens on `open`, drops it on `cancel_candidate` and raises priority on `keep`.
 */
function play(pFails: readonly number[], visits: UpcomingAmcVisit[] = []) {
  let ticket: OpenPredictiveTicket | null = null;
  const history: RiskScore[] = [];
  const decisions: RiskDecision[] = [];
  pFails.forEach((pFail, i) => {
    const r = risk({ pFail, scoredAt: t0 + i * 6 * HOUR_MS });
    const d = decideRiskAction({
      risk: r,
      thresholds,
      openTicket: ticket,
      history,
      upcomingAmcVisits: visits,
    });
    decisions.push(d);
    history.push({ scoredAt: r.scoredAt, pFail });
    if (d.action === 'open' || d.action === 'fold_into_amc_visit') {
      ticket = {
        ticketId: `T${i}`,
        priority: d.ticket.priority,
        openedAt: r.scoredAt,
        foldedIntoVisitId: d.action === 'fold_into_amc_visit' ? d.visitId : null,
      };
    }
    if (d.action === 'keep' && d.raisePriorityTo) ticket = { ...ticket!, priority: d.raisePriorityTo };
    if (d.action === 'cancel_candidate') ticket = null;
  });
  const count = (action: RiskDecision['action']) => decisions.filter((d) => d.action === action).length;
  return { decisions, count };
}

describe('decideRiskAction', () => {
  it('opens exactly one ticket, and never cancels it, for a score flickering around both thresholds', () => {
    const flicker = [
      0.55, 0.62, 0.58, 0.61, 0.57, 0.64, 0.36, 0.33, 0.37, 0.34, 0.31, 0.36, 0.34, 0.33, 0.4, 0.3,
    ];
    const { count } = play(flicker);
    expect(count('open')).toBe(1);
    expect(count('cancel_candidate')).toBe(0);
    expect(count('keep')).toBe(flicker.length - 2);
  });

  it('offers the ticket for cancellation only after N consecutive scores below p_close', () => {
    const { decisions } = play([0.7, 0.3, 0.32, 0.5, 0.3, 0.2, 0.1]);
    expect(decisions.map((d) => d.action)).toEqual([
      'open',
      'keep',
      'keep',
      'keep',
      'keep',
      'keep',
      'cancel_candidate',
    ]);
  });

  it('does not open a second ticket while one is open, however often the same high risk arrives', () => {
    const open: OpenPredictiveTicket = {
      ticketId: 'T1',
      priority: 3,
      openedAt: t0 - DAY_MS,
      foldedIntoVisitId: null,
    };
    const input = { risk: risk(), thresholds, openTicket: open, history: [], upcomingAmcVisits: [] };
    const first = decideRiskAction(input);
    expect(first).toEqual(decideRiskAction(input));
    expect(first).toMatchObject({ action: 'keep', ticketId: 'T1', raisePriorityTo: null });
  });

  it('raises the open ticket’s priority when failure comes closer, and never lowers it', () => {
    const open: OpenPredictiveTicket = {
      ticketId: 'T1',
      priority: 3,
      openedAt: t0 - DAY_MS,
      foldedIntoVisitId: null,
    };
    const base = { thresholds, openTicket: open, history: [], upcomingAmcVisits: [] };
    expect(decideRiskAction({ ...base, risk: risk({ pFail: 0.9, daysLeft: 1.5 }) })).toMatchObject({
      action: 'keep',
      raisePriorityTo: 1,
    });
    expect(decideRiskAction({ ...base, risk: risk({ pFail: 0.62, daysLeft: 13 }) })).toMatchObject({
      action: 'keep',
      raisePriorityTo: null,
    });
  });

  it('opens nothing between p_close and p_open when no ticket is open', () => {
    const d = decideRiskAction({
      risk: risk({ pFail: 0.5 }),
      thresholds,
      openTicket: null,
      history: [],
      upcomingAmcVisits: [],
    });
    expect(d.action).toBe('none');
  });

  it('opens a ticket with the catalogue’s skill, part and repair time, and a window before the predicted failure', () => {
    const d = decideRiskAction({
      risk: risk(),
      thresholds,
      openTicket: null,
      history: [],
      upcomingAmcVisits: [],
    });
    if (d.action !== 'open') throw new Error(`expected open, got ${d.action}`);
    const { ticket } = d;
    expect(ticket.dedupeKey).toBe('sim-ac-00007:compressor');
    expect(ticket.work).toMatchObject({
      skill: 'refrigeration',
      certificationRequired: true,
      partSku: 'AC-COMP',
      repairMinutes: 240,
      remoteFirst: null,
    });
    // pFail 0.7, 12 days left → P3: within 120 h, and at least 3 days (25% of 12) before the failure.
    expect(ticket.priority).toBe(3);
    expect(ticket.predictedFailureAt).toBe(t0 + 12 * DAY_MS);
    expect(ticket.appointmentWindow).toEqual({ start: t0 + 4 * HOUR_MS, end: t0 + 120 * HOUR_MS });
    expect(ticket.slaDueAt).toBe(ticket.appointmentWindow.end);
    expect(ticket.evidence.drivers[0]!.metric).toBe('discharge_temp_c');
  });

  it('keeps a safety margin before an imminent failure, and still leaves a usable window', () => {
    const soon = decideRiskAction({
      risk: risk({ pFail: 0.95, daysLeft: 0.5 }),
      thresholds,
      openTicket: null,
      history: [],
      upcomingAmcVisits: [],
    });
    if (soon.action !== 'open') throw new Error(soon.action);
    expect(soon.ticket.priority).toBe(1);
    expect(soon.ticket.appointmentWindow).toEqual({ start: t0 + 4 * HOUR_MS, end: t0 + 8 * HOUR_MS });
  });

  it('offers the remote command first for failure modes that have one', () => {
    const d = decideRiskAction({
      risk: risk({ model: 'refrigerator', component: 'control_board_sensor', failureMode: 'sensor_drift' }),
      thresholds,
      openTicket: null,
      history: [],
      upcomingAmcVisits: [],
    });
    if (d.action !== 'open') throw new Error(d.action);
    expect(d.ticket.work.remoteFirst).toEqual({ command: 'recalibrate_sensor' });
    expect(d.ticket.work.partSku).toBe('RF-SENSOR');
  });

  it('folds the work into an AMC visit that comes before the latest safe repair time', () => {
    const visits = [
      { visitId: 'past', window: { start: t0 - DAY_MS, end: t0 - DAY_MS + 2 * HOUR_MS } },
      { visitId: 'too-late', window: { start: t0 + 8 * DAY_MS, end: t0 + 8 * DAY_MS + 2 * HOUR_MS } },
      { visitId: 'in-time', window: { start: t0 + 3 * DAY_MS, end: t0 + 3 * DAY_MS + 2 * HOUR_MS } },
    ];
    const d = decideRiskAction({
      risk: risk(),
      thresholds,
      openTicket: null,
      history: [],
      upcomingAmcVisits: visits,
    });
    expect(d).toMatchObject({ action: 'fold_into_amc_visit', visitId: 'in-time' });
    if (d.action !== 'fold_into_amc_visit') return;
    expect(d.ticket.appointmentWindow).toEqual(visits[2]!.window);
    expect(d.ticket.work.partSku).toBe('AC-COMP');

    const none = decideRiskAction({
      risk: risk(),
      thresholds,
      openTicket: null,
      history: [],
      upcomingAmcVisits: visits.slice(0, 2),
    });
    expect(none.action).toBe('open');
  });

  it('folds the work into a visit still waiting for its day when its window overlaps the repair’s, at the repair’s time', () => {
    const decideWith = (...upcomingAmcVisits: UpcomingAmcVisit[]) =>
      decideRiskAction({ risk: risk(), thresholds, openTicket: null, history: [], upcomingAmcVisits });
    const repairWindow = (decision: ReturnType<typeof decideRiskAction>) => {
      if (decision.action !== 'open' && decision.action !== 'fold_into_amc_visit')
        throw new Error(decision.action);
      return decision.ticket.appointmentWindow;
    };
    const alone = repairWindow(decideWith());
    // Its contract window opened a week ago and runs a month: the visit is made with the repair.
    const waiting = {
      visitId: 'waiting',
      window: { start: t0 - 7 * DAY_MS, end: t0 + 30 * DAY_MS },
      flexible: true,
    };
    const d = decideWith(waiting);
    expect(d).toMatchObject({ action: 'fold_into_amc_visit', visitId: 'waiting' });
    if (d.action !== 'fold_into_amc_visit') return;
    expect(d.ticket.appointmentWindow).toEqual(alone);
    expect(d.reason).toMatch(/made with the repair/);

    // A window opening after the latest safe repair time cannot take it; one opening before can, from then.
    const later = {
      ...waiting,
      visitId: 'later',
      window: { start: alone.end + DAY_MS, end: alone.end + 40 * DAY_MS },
    };
    expect(decideWith(later).action).toBe('open');
    const opening = {
      ...waiting,
      visitId: 'opening',
      window: { start: alone.start + DAY_MS, end: alone.end + 40 * DAY_MS },
    };
    const folded = decideWith(opening);
    expect(folded).toMatchObject({ action: 'fold_into_amc_visit', visitId: 'opening' });
    if (folded.action === 'fold_into_amc_visit')
      expect(folded.ticket.appointmentWindow).toEqual({ start: alone.start + DAY_MS, end: alone.end });

    // A window closing a few hours into the repair's leaves no working day to do the work in.
    const sliver = {
      ...waiting,
      visitId: 'sliver',
      window: { start: t0 - 7 * DAY_MS, end: alone.start + 5 * HOUR_MS },
    };
    expect(decideWith(sliver).action).toBe('open');
    // A visit already booked inside the repair's window takes the work before one still to be placed.
    const bookedInTime = {
      visitId: 'booked-in-time',
      window: { start: alone.start + DAY_MS, end: alone.start + DAY_MS + 2 * HOUR_MS },
    };
    expect(decideWith(waiting, bookedInTime)).toMatchObject({
      action: 'fold_into_amc_visit',
      visitId: 'booked-in-time',
    });

    // The same window, booked for a day after the repair's latest time, is no fold: booked visits keep their day.
    const booked = {
      visitId: 'booked',
      window: { start: alone.end + 2 * HOUR_MS, end: alone.end + 3 * HOUR_MS },
    };
    expect(decideWith(booked).action).toBe('open');
  });

  it('keeps the folded ticket on later scores instead of opening another', () => {
    const visits = [
      { visitId: 'amc-1', window: { start: t0 + 2 * DAY_MS, end: t0 + 2 * DAY_MS + 3 * HOUR_MS } },
    ];
    const { count, decisions } = play([0.7, 0.72, 0.75], visits);
    expect(decisions[0]!.action).toBe('fold_into_amc_visit');
    expect(count('open') + count('fold_into_amc_visit')).toBe(1);
  });

  it('refuses a failure mode the catalogue does not know, and thresholds without hysteresis', () => {
    const base = { thresholds, openTicket: null, history: [], upcomingAmcVisits: [] };
    expect(() => decideRiskAction({ ...base, risk: risk({ failureMode: 'gremlins' }) })).toThrow(
      ValidationError,
    );
    expect(() =>
      decideRiskAction({
        ...base,
        risk: risk(),
        thresholds: { pOpen: 0.5, pClose: 0.5, closeAfterScores: 3 },
      }),
    ).toThrow(/pClose must be ≥ 0 and below pOpen/);
  });

  it('has default thresholds with hysteresis for every device model', () => {
    for (const t of Object.values(defaultRiskThresholds)) expect(t.pClose).toBeLessThan(t.pOpen);
  });
});

describe('riskPriority', () => {
  it.each([
    [0.6, 1, 1],
    [0.9, 3.5, 1],
    [0.6, 4, 2],
    [0.9, 12, 2],
    [0.6, 8, 3],
    [0.75, 13, 3],
    [0.65, 13, 4],
  ] as const)('pFail %s with %s days left is P%s', (pFail, daysLeft, expected) => {
    expect(riskPriority(pFail, daysLeft)).toBe(expected);
  });
});

describe('predictiveTicketPlan', () => {
  it('plans whole-minute times even when the model gives a fractional number of days left', () => {
    // Regression: a daysLeft of 2.0214925706 gave an SLA due time with a fraction of a millisecond,
    // which the ticket API refused to serialise (epoch ms are integers).
    const plan = predictiveTicketPlan(risk({ pFail: 0.67, daysLeft: 2.0214925706386566, scoredAt: t0 + 1 }));
    for (const at of [
      plan.slaDueAt,
      plan.predictedFailureAt,
      plan.appointmentWindow.start,
      plan.appointmentWindow.end,
    ]) {
      expect(Number.isInteger(at)).toBe(true);
      expect(at % 60_000).toBe(0);
    }
    expect(plan.appointmentWindow.end).toBeLessThan(plan.predictedFailureAt);
  });
});
