import { describe, expect, it } from 'vitest';
import { computeKpis, type FeedbackRecord, type KpiRecords, monthKey, type TicketRecord } from './kpis.ts';

const at = (month: number, day: number, hour = 0) => Date.UTC(2026, month - 1, day, hour);

function ticket(overrides: Partial<TicketRecord> & { ticketId: string }): TicketRecord {
  return {
    kind: 'corrective',
    partnerId: 'P-A',
    technicianId: 'a1',
    deviceModel: 'split-ac',
    openedAt: at(6, 1),
    firstOnSiteAt: null,
    resolvedAt: null,
    cancelledAt: null,
    slaDueAt: null,
    firstTimeFix: null,
    verified: null,
    ...overrides,
  };
}

function feedback(overrides: Partial<FeedbackRecord> & { ticketId: string }): FeedbackRecord {
  return {
    partnerId: 'P-A',
    technicianId: 'a1',
    deviceModel: 'split-ac',
    at: at(6, 10),
    csat: null,
    nps: null,
    complaintOpenedAt: null,
    complaintResolvedAt: null,
    ...overrides,
  };
}

/**
 * Two partners over May and June. Hand-computed figures are in each test; times are UTC and the report
 * uses UTC months (utcOffsetMin 0).
 */
const records: KpiRecords = {
  tickets: [
    // T0 (May, P-B): 5 h to repair, on site 7 h before due, fixed first time, verified.
    ticket({
      ticketId: 'T0',
      partnerId: 'P-B',
      technicianId: 'b1',
      deviceModel: 'water-purifier',
      openedAt: at(5, 30, 10),
      firstOnSiteAt: at(5, 30, 11),
      resolvedAt: at(5, 30, 15),
      slaDueAt: at(5, 30, 18),
      firstTimeFix: true,
      verified: true,
    }),
    // T1: 6 h, SLA met, first time, verified.
    ticket({
      ticketId: 'T1',
      openedAt: at(6, 1, 8),
      firstOnSiteAt: at(6, 1, 12),
      resolvedAt: at(6, 1, 14),
      slaDueAt: at(6, 1, 16),
      firstTimeFix: true,
      verified: true,
    }),
    // T2 (predictive): 28 h, on site 2 h after due, second visit needed, flagged for review.
    ticket({
      ticketId: 'T2',
      kind: 'predictive',
      deviceModel: 'refrigerator',
      openedAt: at(6, 2, 8),
      firstOnSiteAt: at(6, 3, 10),
      resolvedAt: at(6, 3, 12),
      slaDueAt: at(6, 3, 8),
      firstTimeFix: false,
      verified: false,
    }),
    // T3 (P-B): 4 h, SLA met, first time, verification not concluded.
    ticket({
      ticketId: 'T3',
      partnerId: 'P-B',
      technicianId: 'b1',
      openedAt: at(6, 5, 0),
      firstOnSiteAt: at(6, 5, 3),
      resolvedAt: at(6, 5, 4),
      slaDueAt: at(6, 5, 6),
      firstTimeFix: true,
    }),
    // T4 AMC visit (P-B): counts for SLA (met), not for repair figures.
    ticket({
      ticketId: 'T4',
      kind: 'amc_visit',
      partnerId: 'P-B',
      technicianId: 'b1',
      deviceModel: null,
      openedAt: at(6, 10),
      firstOnSiteAt: at(6, 12),
      resolvedAt: at(6, 12, 2),
      slaDueAt: at(6, 15),
    }),
    // T5: never visited, due 21 June: missed as of 1 July.
    ticket({ ticketId: 'T5', deviceModel: 'washing-machine', openedAt: at(6, 20), slaDueAt: at(6, 21) }),
    // T6: cancelled: counts nowhere.
    ticket({
      ticketId: 'T6',
      kind: 'predictive',
      openedAt: at(6, 22),
      cancelledAt: at(6, 23),
      slaDueAt: at(6, 24),
    }),
    // T7: due after asOf and not visited yet: not evaluated for SLA.
    ticket({ ticketId: 'T7', openedAt: at(6, 30), slaDueAt: at(7, 2) }),
  ],
  failures: [
    {
      deviceId: 'd1',
      deviceModel: 'split-ac',
      partnerId: 'P-A',
      technicianId: 'a1',
      at: at(6, 4),
      prevented: true,
    },
    {
      deviceId: 'd2',
      deviceModel: 'refrigerator',
      partnerId: 'P-A',
      technicianId: 'a1',
      at: at(6, 6),
      prevented: true,
    },
    {
      deviceId: 'd3',
      deviceModel: 'water-purifier',
      partnerId: 'P-B',
      technicianId: 'b1',
      at: at(5, 20),
      prevented: true,
    },
    {
      deviceId: 'd4',
      deviceModel: 'split-ac',
      partnerId: 'P-A',
      technicianId: null,
      at: at(6, 18),
      prevented: false,
    },
  ],
  partsRequests: [
    {
      ticketId: 'T0',
      partnerId: 'P-B',
      technicianId: 'b1',
      deviceModel: 'water-purifier',
      at: at(5, 30),
      filledOnFirstVisit: true,
    },
    {
      ticketId: 'T1',
      partnerId: 'P-A',
      technicianId: 'a1',
      deviceModel: 'split-ac',
      at: at(6, 1),
      filledOnFirstVisit: true,
    },
    {
      ticketId: 'T2',
      partnerId: 'P-A',
      technicianId: 'a1',
      deviceModel: 'refrigerator',
      at: at(6, 2),
      filledOnFirstVisit: false,
    },
    {
      ticketId: 'T3',
      partnerId: 'P-B',
      technicianId: 'b1',
      deviceModel: 'split-ac',
      at: at(6, 5),
      filledOnFirstVisit: true,
    },
  ],
  feedback: [
    feedback({ ticketId: 'T1', csat: 5, nps: 10 }),
    feedback({
      ticketId: 'T2',
      deviceModel: 'refrigerator',
      csat: 2,
      nps: 3,
      complaintOpenedAt: at(6, 3, 10),
      complaintResolvedAt: at(6, 4, 16),
    }),
    feedback({ ticketId: 'T3', partnerId: 'P-B', technicianId: 'b1', csat: 4, nps: 9 }),
    feedback({ ticketId: 'T4', partnerId: 'P-B', technicianId: 'b1', deviceModel: null, nps: 7 }),
    feedback({ ticketId: 'T5', deviceModel: 'washing-machine', nps: 6, complaintOpenedAt: at(6, 22) }),
  ],
  workingTime: [
    { technicianId: 'a1', partnerId: 'P-A', day: at(6, 1), availableMinutes: 480, workedMinutes: 360 },
    { technicianId: 'a1', partnerId: 'P-A', day: at(6, 3), availableMinutes: 480, workedMinutes: 240 },
    { technicianId: 'b1', partnerId: 'P-B', day: at(6, 5), availableMinutes: 480, workedMinutes: 432 },
  ],
};

const report = computeKpis(records, { asOf: at(7, 1) });

describe('computeKpis', () => {
  it('computes the overall figures', () => {
    expect(report.overall).toEqual({
      // 3 prevented, 1 happened: 3/4.
      failuresPrevented: 3,
      failuresHappened: 1,
      preventionRate: 0.75,
      // None of them without a visit.
      fixedRemotely: 0,
      // Repairs resolved: T0, T1, T2, T3; first time: T0, T1, T3 → 3/4; MTTR (5 + 6 + 28 + 4) / 4 h.
      repairsResolved: 4,
      firstTimeFixRate: 0.75,
      mttrHours: 10.75,
      // SLA evaluated: T0 ✓, T1 ✓, T2 ✗, T3 ✓, T4 ✓, T5 ✗ (past due, no visit) → 4/6; T6 cancelled, T7 not due.
      slaEvaluated: 6,
      slaCompliance: 4 / 6,
      // 3 of 4 parts requests filled on the first visit.
      partsFillRate: 0.75,
      // One complaint resolved in 30 h (3 June 10:00 → 4 June 16:00), one still open.
      complaintResolutionHours: 30,
      complaintsOpen: 1,
      // CSAT (5 + 2 + 4) / 3; NPS: promoters 10, 9; detractors 3, 6; passive 7 → (2 − 2) / 5.
      csatMean: 11 / 3,
      npsScore: 0,
      // (360 + 240 + 432) / (3 × 480).
      utilisation: 1032 / 1440,
      // Concluded verifications: T0 ✓, T1 ✓, T2 ✗ → 2/3 (T3 not concluded).
      verifiedFixRate: 2 / 3,
      // No visit here was measured against a booked slot (below).
      onTimeStartRate: null,
    });
  });

  it('groups by partner', () => {
    const a = report.byPartner['P-A']!;
    // P-A repairs: T1 (6 h, ftf, verified), T2 (28 h, not ftf, flagged).
    expect(a.mttrHours).toBe(17);
    expect(a.firstTimeFixRate).toBe(0.5);
    expect(a.verifiedFixRate).toBe(0.5);
    // SLA: T1 ✓, T2 ✗, T5 ✗.
    expect(a.slaCompliance).toBeCloseTo(1 / 3, 10);
    expect(a.preventionRate).toBeCloseTo(2 / 3, 10);
    expect(a.utilisation).toBe(600 / 960);
    // NPS: 10 (promoter), 3 and 6 (detractors) → (1 − 2) / 3.
    expect(a.npsScore).toBeCloseTo(-100 / 3, 10);
    const b = report.byPartner['P-B']!;
    expect(b.utilisation).toBe(0.9);
    expect(b.slaCompliance).toBe(1);
    expect(b.mttrHours).toBe(4.5);
    expect(Object.keys(report.byPartner)).toEqual(['P-A', 'P-B']);
  });

  it('groups by technician, and leaves records without one out of that grouping', () => {
    expect(report.byTechnician.a1!.failuresPrevented).toBe(2);
    expect(report.byTechnician.a1!.failuresHappened).toBe(0);
    expect(report.byTechnician.b1!.partsFillRate).toBe(1);
  });

  it('groups by device model', () => {
    const ac = report.byDeviceModel['split-ac']!;
    // Split AC repairs: T1 (6 h) and T3 (4 h), both first time.
    expect(ac.mttrHours).toBe(5);
    expect(ac.firstTimeFixRate).toBe(1);
    expect(ac.utilisation).toBeNull();
    expect(report.byDeviceModel.refrigerator!.csatMean).toBe(2);
  });

  it('groups by the month a ticket was opened', () => {
    expect(Object.keys(report.byMonth)).toEqual(['2026-05', '2026-06']);
    const may = report.byMonth['2026-05']!;
    expect(may.mttrHours).toBe(5);
    expect(may.slaCompliance).toBe(1);
    expect(may.failuresPrevented).toBe(1);
    // June repairs: T1 6 h, T2 28 h, T3 4 h.
    expect(report.byMonth['2026-06']!.mttrHours).toBeCloseTo(38 / 3, 10);
  });

  it('reports null, not zero, for a figure with nothing to measure', () => {
    const empty = computeKpis(
      { tickets: [], failures: [], partsRequests: [], feedback: [], workingTime: [] },
      { asOf: at(7, 1) },
    );
    expect(empty.overall.slaCompliance).toBeNull();
    expect(empty.overall.npsScore).toBeNull();
    expect(empty.overall.failuresPrevented).toBe(0);
    expect(empty.byMonth).toEqual({});
  });
});

describe('times measured across a clock stepped back', () => {
  it('counts a repair or a complaint stamped as ending before it began as taking no time', () => {
    // Resolved "an hour before" it was opened: the server's clock was set back in between.
    const stepped = computeKpis(
      {
        ...records,
        tickets: [
          ticket({ ticketId: 'S1', openedAt: at(6, 2, 10), resolvedAt: at(6, 2, 9) }),
          ticket({ ticketId: 'S2', openedAt: at(6, 2, 10), resolvedAt: at(6, 2, 14) }),
        ],
        feedback: [
          feedback({ ticketId: 'S1', complaintOpenedAt: at(6, 3, 12), complaintResolvedAt: at(6, 3, 11) }),
          feedback({ ticketId: 'S2', complaintOpenedAt: at(6, 3, 12), complaintResolvedAt: at(6, 3, 18) }),
        ],
      },
      { asOf: at(7, 1) },
    ).overall;
    expect(stepped.mttrHours).toBe((0 + 4) / 2);
    expect(stepped.complaintResolutionHours).toBe((0 + 6) / 2);
  });
});

describe('failures fixed remotely', () => {
  const asOf = at(7, 1);
  const remote = ticket({
    ticketId: 'R1',
    kind: 'predictive',
    openedAt: at(6, 10, 8),
    resolvedAt: at(6, 10, 9),
    slaDueAt: at(6, 12),
    firstTimeFix: true,
    fixedRemotely: true,
  });
  const prevented = (fixedRemotely: boolean, deviceId: string) => ({
    deviceId,
    deviceModel: 'split-ac' as const,
    partnerId: 'P-A',
    technicianId: null,
    at: at(6, 10),
    prevented: true,
    fixedRemotely,
  });

  it('counts a failure prevented without a visit both as prevented and as fixed remotely', () => {
    const kpis = computeKpis(
      {
        tickets: [remote],
        failures: [
          prevented(true, 'r1'),
          prevented(false, 'v1'),
          { ...prevented(false, 'f1'), prevented: false },
        ],
        partsRequests: [],
        feedback: [],
        workingTime: [],
      },
      { asOf },
    ).overall;
    expect(kpis).toMatchObject({ failuresPrevented: 2, failuresHappened: 1, fixedRemotely: 1 });
  });

  it('never counts a failure that happened as fixed remotely', () => {
    const kpis = computeKpis(
      {
        tickets: [],
        failures: [{ ...prevented(true, 'x'), prevented: false }],
        partsRequests: [],
        feedback: [],
        workingTime: [],
      },
      { asOf },
    ).overall;
    expect(kpis.fixedRemotely).toBe(0);
  });

  it('takes the remote resolution as the SLA answer of a ticket nobody had to visit', () => {
    const late = { ...remote, ticketId: 'R2', resolvedAt: at(6, 13) };
    const kpis = computeKpis(
      { tickets: [remote, late], failures: [], partsRequests: [], feedback: [], workingTime: [] },
      { asOf },
    ).overall;
    // R1 fixed before its due time: met; R2 after: missed. Without a visit neither is "never answered".
    expect(kpis.slaEvaluated).toBe(2);
    expect(kpis.slaCompliance).toBe(0.5);
  });
});

describe('visits begun on time', () => {
  it('counts the jobs whose first visit began within the slack of its booked start, early starts against it too', () => {
    const jobs = [
      ticket({ ticketId: 'S1', firstOnSiteAt: at(6, 2), partnerId: 'P-A', arrival: 'on_time' }),
      ticket({ ticketId: 'S2', firstOnSiteAt: at(6, 2), partnerId: 'P-A', arrival: 'early' }),
      ticket({ ticketId: 'S3', firstOnSiteAt: at(6, 2), partnerId: 'P-B', arrival: 'late' }),
      ticket({ ticketId: 'S4', firstOnSiteAt: at(6, 2), partnerId: 'P-B', arrival: 'on_time' }),
      // Not measured: no visit yet, a visit with no booked slot, a job cancelled.
      ticket({ ticketId: 'S5', partnerId: 'P-B' }),
      ticket({ ticketId: 'S6', firstOnSiteAt: at(6, 2), partnerId: 'P-B', arrival: null }),
      ticket({
        ticketId: 'S7',
        firstOnSiteAt: at(6, 2),
        partnerId: 'P-B',
        arrival: 'late',
        cancelledAt: at(6, 2),
      }),
    ];
    const report = computeKpis(
      { tickets: jobs, failures: [], partsRequests: [], feedback: [], workingTime: [] },
      { asOf: at(7, 1) },
    );
    expect(report.overall.onTimeStartRate).toBe(0.5);
    expect(report.byPartner['P-A']!.onTimeStartRate).toBe(0.5);
    expect(report.byPartner['P-B']!.onTimeStartRate).toBe(0.5);
    expect(
      computeKpis(
        { tickets: [jobs[4]!], failures: [], partsRequests: [], feedback: [], workingTime: [] },
        {
          asOf: at(7, 1),
        },
      ).overall.onTimeStartRate,
    ).toBeNull();
  });
});

describe('whose work a visited ticket is', () => {
  // C1: held by b1 now, first visited late by a1, fixed on b1's second visit. C2: held by b1, nobody
  // went, past due. C3: a1's own, visited in time and fixed at once.
  const jobs = [
    ticket({
      ticketId: 'C1',
      partnerId: 'P-B',
      technicianId: 'b1',
      firstVisitPartnerId: 'P-A',
      firstVisitTechnicianId: 'a1',
      slaDueAt: at(6, 2),
      firstOnSiteAt: at(6, 3),
      resolvedAt: at(6, 5),
      firstTimeFix: false,
    }),
    ticket({ ticketId: 'C2', partnerId: 'P-B', technicianId: 'b1', slaDueAt: at(6, 2) }),
    ticket({
      ticketId: 'C3',
      slaDueAt: at(6, 4),
      firstOnSiteAt: at(6, 3),
      resolvedAt: at(6, 3, 2),
      firstTimeFix: true,
    }),
  ];
  const report = computeKpis(
    { tickets: jobs, failures: [], partsRequests: [], feedback: [], workingTime: [] },
    { asOf: at(7, 1) },
  );

  it('judges the SLA and first-time fix of a visited ticket with whoever made its first visit', () => {
    expect(report.byTechnician.a1).toMatchObject({
      slaEvaluated: 2,
      slaCompliance: 0.5,
      firstTimeFixRate: 0.5,
    });
    expect(report.byPartner['P-A']).toMatchObject({
      slaEvaluated: 2,
      slaCompliance: 0.5,
      firstTimeFixRate: 0.5,
    });
  });

  it('leaves a ticket nobody visited with whoever holds it, and the time to repair with who resolved it', () => {
    expect(report.byTechnician.b1).toMatchObject({
      slaEvaluated: 1,
      slaCompliance: 0,
      firstTimeFixRate: null,
    });
    expect(report.byTechnician.b1!.mttrHours).toBe(4 * 24);
    expect(report.byPartner['P-B']).toMatchObject({ slaEvaluated: 1, slaCompliance: 0 });
  });

  it('counts every ticket once overall, whoever it is credited to', () => {
    expect(report.overall).toMatchObject({ slaEvaluated: 3, slaCompliance: 1 / 3, firstTimeFixRate: 0.5 });
  });
});

describe('monthKey', () => {
  it('uses local time: 31 May 20:00 UTC is already June in India', () => {
    expect(monthKey(at(5, 31, 20))).toBe('2026-05');
    expect(monthKey(at(5, 31, 20), 330)).toBe('2026-06');
  });
});
