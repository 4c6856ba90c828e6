import type { AuditEntry, DeviceVisit, TicketDetail, TicketStatus } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import type { ContractBook } from './customer-contracts.ts';
import { deviceVisitView, pastVisitView } from './customer-visits.ts';
import { capacitorRepair } from './ticket-fixtures.ts';

const hour = 3_600_000;
const t0 = Date.UTC(2026, 9, 1, 9);
const now = t0 + 5 * 24 * hour;

/** One audit entry per step, in order, an hour apart. */
function audit(steps: [string, TicketStatus | null, TicketStatus, string | null, string?][]): AuditEntry[] {
  return steps.map(([action, fromStatus, toStatus, reason, actor = 'technician:tech-7'], i) => ({
    id: `a${i}`,
    ticketId: 't-1',
    version: i + 1,
    at: t0 + i * hour,
    actor,
    actorRole: actor.split(':')[0] === 'system' ? 'system' : 'technician',
    fromStatus,
    toStatus,
    action,
    reason,
    data: null,
  }));
}

function ticket(overrides: Partial<TicketDetail>): TicketDetail {
  return {
    ...capacitorRepair,
    status: 'closed',
    version: 1,
    appointment: { start: t0 + 2 * hour, end: t0 + 3 * hour },
    slaDueAt: t0 + 24 * hour,
    createdAt: t0,
    updatedAt: t0,
    resolvedAt: t0 + 4 * hour,
    closedAt: t0 + 6 * hour,
    reservations: [],
    transfers: [],
    partsUsed: [],
    notes: [],
    audit: [],
    ...overrides,
  };
}

const book: ContractBook = {
  contracts: [
    {
      id: 'amc-1',
      customerId: 'cust-1',
      planId: 'plan-basic',
      deviceIds: ['ac-1'],
      startsAt: 0,
      endsAt: now + 1e10,
      renewalStatus: 'not_due',
      renewsContractId: null,
      createdAt: 0,
      updatedAt: 0,
    },
  ],
  plans: new Map([
    [
      'plan-basic',
      {
        id: 'plan-basic',
        name: 'Basic care',
        model: null,
        visitsPerYear: 2,
        slaResponseHours: 48,
        coversLabour: true,
        coversParts: false,
        priceCents: 149_900,
        createdAt: 0,
      },
    ],
  ]),
};

const repaired = audit([
  ['opened', null, 'open', null, 'system:automation'],
  ['assigned', 'open', 'scheduled', null, 'system:automation'],
  ['started', 'scheduled', 'on_site', null],
  ['part_used', 'on_site', 'on_site', null],
  ['resolved', 'on_site', 'resolved', 'Replaced the run capacitor; compressor starts first time'],
  ['verified', 'resolved', 'verified', null, 'system:fix-verifier'],
  ['closed', 'verified', 'closed', null, 'system:fix-verifier'],
]);

describe('pastVisitView', () => {
  it("tells a repair in the customer's words: the fault, what was done, the part, who paid, the result", () => {
    const visit = pastVisitView(
      ticket({
        audit: repaired,
        partsUsed: [
          {
            id: 'p1',
            ticketId: 't-1',
            sku: 'AC-CAP',
            quantity: 1,
            locationId: 'van',
            reservationId: null,
            removedSerial: null,
            recordedBy: 'technician:tech-7',
            at: t0 + 3 * hour,
          },
        ],
      }),
      { model: 'split-ac', book, verdict: { csat: 4, complaint: null }, now },
    );
    expect(visit).toMatchObject({
      kind: 'Preventive repair',
      problem: 'Spotted early by our monitoring: run capacitor degradation',
      at: t0 + 2 * hour,
      visits: 1,
      done: 'Replaced the run capacitor; compressor starts first time',
      parts: ['Run capacitor'],
      technician: 'Kavya Iyer',
      coverage: { label: 'Labour covered', detail: 'Basic care paid the labour; the parts were charged.' },
      outcome: { label: 'Fix confirmed', tone: 'healthy' },
      csat: 4,
      canRate: false,
    });
    // The model's numbers stay out of what the customer reads.
    expect(JSON.stringify(visit)).not.toMatch(/p=0\.95|pFail/);
  });

  it("quotes the customer's own report for a repair they asked for, and asks for a rating while it may be given", () => {
    const visit = pastVisitView(
      ticket({ kind: 'corrective', description: 'Water dripping from the indoor unit', audit: repaired }),
      { model: 'split-ac', book, verdict: null, now },
    );
    expect(visit?.problem).toBe('You reported: Water dripping from the indoor unit');
    expect(visit?.canRate).toBe(true);
  });

  it('counts a second visit for a part that was missing, and the resolution of the last one', () => {
    const twice = audit([
      ['opened', null, 'open', null, 'system:automation'],
      ['assigned', 'open', 'scheduled', null, 'system:automation'],
      ['started', 'scheduled', 'on_site', null],
      ['resolved', 'on_site', 'resolved', 'The part needed was not in the van'],
      ['flagged_for_review', 'resolved', 'flagged_for_review', 'No change', 'system:fix-verifier'],
      ['reopened', 'flagged_for_review', 'open', 'Second visit'],
      ['assigned', 'open', 'scheduled', null, 'system:automation'],
      ['started', 'scheduled', 'on_site', null],
      ['resolved', 'on_site', 'resolved', 'Fitted the new capacitor'],
      ['verified', 'resolved', 'verified', null, 'system:fix-verifier'],
    ]);
    const visit = pastVisitView(ticket({ status: 'verified', audit: twice }), { book, verdict: null, now });
    expect(visit).toMatchObject({ visits: 2, done: 'Fitted the new capacitor', at: t0 + 7 * hour });
    expect(visit?.outcome.label).toBe('Fix confirmed');
  });

  it('says a fix is being checked while the readings did not improve, and a maintenance visit is just done', () => {
    const flagged = audit([
      ['started', 'dispatched', 'on_site', null],
      ['resolved', 'on_site', 'resolved', 'Cleaned the coil'],
      ['flagged_for_review', 'resolved', 'flagged_for_review', 'No change', 'system:fix-verifier'],
    ]);
    expect(
      pastVisitView(ticket({ status: 'flagged_for_review', audit: flagged }), { book, verdict: null, now })
        ?.outcome.label,
    ).toBe('Being checked');
    const maintenance = pastVisitView(ticket({ kind: 'amc_visit', failureMode: null, audit: repaired }), {
      book,
      verdict: null,
      now,
    });
    expect(maintenance).toMatchObject({
      kind: 'Maintenance visit',
      problem: 'Routine maintenance under your contract',
      outcome: { label: 'Done' },
    });
    // Closed by the office straight from resolved: there was no fault for the readings to confirm.
    const closedByOffice = audit([
      ['started', 'dispatched', 'on_site', null],
      ['resolved', 'on_site', 'resolved', 'Serviced the filters and coil'],
      ['closed', 'resolved', 'closed', null],
    ]);
    for (const [status, trail] of [
      ['resolved', closedByOffice.slice(0, 2)],
      ['closed', closedByOffice],
    ] as const)
      expect(
        pastVisitView(ticket({ kind: 'amc_visit', failureMode: null, status, audit: [...trail] }), {
          book,
          verdict: null,
          now,
        })?.outcome,
      ).toMatchObject({ label: 'Done', tone: 'healthy' });
  });

  it('carries the follow-up of a complaint made with the rating: open, then what the desk did', () => {
    const open = pastVisitView(ticket({ audit: repaired }), {
      book,
      verdict: { csat: 2, complaint: { resolvedAt: null, resolution: null } },
      now,
    });
    expect(open).toMatchObject({ csat: 2, complaint: { resolvedAt: null, resolution: null } });
    const followed = { resolvedAt: now, resolution: 'Called you back and waived the visit charge.' };
    expect(
      pastVisitView(ticket({ audit: repaired }), { book, verdict: { csat: 2, complaint: followed }, now }),
    ).toMatchObject({ complaint: followed });
    expect(
      pastVisitView(ticket({ audit: repaired }), { book, verdict: { csat: 5, complaint: null }, now }),
    ).toMatchObject({ complaint: null });
  });

  it("says a remote fix was one, without the automation's reason or a technician", () => {
    const remote = audit([
      ['opened', null, 'open', null, 'system:automation'],
      [
        'resolved_remotely',
        'open',
        'resolved',
        'risk below p_close 30 % for 3 consecutive scores',
        'system:automation',
      ],
    ]);
    const visit = pastVisitView(ticket({ status: 'resolved', audit: remote, appointment: null }), {
      book,
      verdict: null,
      now,
    });
    expect(visit).toMatchObject({
      visits: 0,
      technician: null,
      outcome: { label: 'Fixed remotely' },
      coverage: { label: 'No charge' },
    });
    expect(visit?.done).not.toContain('p_close');
  });

  it('does not call a repair free that had a visit before a remote reset finished it', () => {
    const visitedThenReset = audit([
      ['opened', null, 'open', null, 'system:automation'],
      ['assigned', 'open', 'scheduled', null, 'system:automation'],
      ['started', 'scheduled', 'on_site', null],
      ['resolved', 'on_site', 'resolved', 'Cleaned the coil'],
      [
        'flagged_for_review',
        'resolved',
        'flagged_for_review',
        'No change in the readings',
        'system:fix-verifier',
      ],
      ['reopened', 'flagged_for_review', 'open', 'Try a reset first'],
      ['resolved_remotely', 'open', 'resolved', 'risk below p_close', 'system:automation'],
    ]);
    const visit = pastVisitView(
      ticket({ status: 'resolved', audit: visitedThenReset, appointment: null, coverage: 'chargeable' }),
      { book, verdict: null, now },
    );
    expect(visit).toMatchObject({ visits: 1, coverage: { label: 'Chargeable' } });
  });

  it('leaves out a ticket nobody worked on', () => {
    const cancelled = audit([
      ['opened', null, 'open', null, 'system:automation'],
      ['cancelled', 'open', 'cancelled', 'Duplicate'],
    ]);
    expect(
      pastVisitView(ticket({ status: 'cancelled', audit: cancelled }), { book, verdict: null, now }),
    ).toBeNull();
  });
});

describe('deviceVisitView', () => {
  const capacitor = {
    id: 'p1',
    ticketId: 't-1',
    sku: 'AC-CAP',
    quantity: 1,
    locationId: 'van',
    reservationId: null,
    removedSerial: null,
    recordedBy: 'technician:tech-7',
    at: t0 + 3 * hour,
  };
  /** The repair above, as the device's service history gives it. */
  const fromHistory: DeviceVisit = {
    ticketId: 't-1',
    kind: 'predictive',
    status: 'closed',
    at: t0 + 4 * hour,
    appointment: { start: t0 + 2 * hour, end: t0 + 3 * hour },
    resolvedAt: t0 + 4 * hour,
    closedAt: t0 + 6 * hour,
    technicianName: 'Kavya Iyer',
    onSiteVisits: 1,
    remote: false,
    fixVerified: true,
    resolution: 'Replaced the run capacitor; compressor starts first time',
    closingReason: null,
    failureMode: 'capacitor_degradation',
    reportedProblem: null,
    coverage: 'amc',
    contractId: 'amc-1',
    parts: [{ sku: 'AC-CAP', name: 'Run capacitor', quantity: 1 }],
  };

  it("tells a visit of the device's history in the words of the ticket's own detail", () => {
    const context = { model: 'split-ac', book, verdict: { csat: 4, complaint: null }, now } as const;
    const detailed = pastVisitView(ticket({ audit: repaired, partsUsed: [capacitor] }), context);
    const listed = deviceVisitView(fromHistory, { ...context, deviceId: 'ac-1' });
    // The history dates a visit by its resolution; the detail by the technician's arrival.
    expect(listed).toEqual({ ...detailed, at: t0 + 4 * hour });
  });

  it('says a remote fix was one, and a visit closed after review why it was', () => {
    const context = { deviceId: 'ac-1', model: 'split-ac', book, verdict: null, now } as const;
    const remote = deviceVisitView(
      {
        ...fromHistory,
        status: 'resolved',
        fixVerified: false,
        remote: true,
        onSiteVisits: 0,
        technicianName: null,
        resolution: null,
        parts: [],
      },
      context,
    );
    expect(remote).toMatchObject({
      visits: 0,
      technician: null,
      outcome: { label: 'Fixed remotely' },
      coverage: { label: 'No charge' },
    });
    expect(remote.done).toMatch(/^Fixed remotely/);
    const closed = deviceVisitView(
      {
        ...fromHistory,
        fixVerified: false,
        closingReason: 'You replaced the outdoor unit yourself',
        parts: [],
      },
      context,
    );
    expect(closed.outcome).toEqual({
      label: 'Closed',
      tone: 'neutral',
      detail: 'You replaced the outdoor unit yourself',
    });
    expect(closed.canRate).toBe(true);
  });

  it("does not double the voice of a report the office wrote down: no 'You reported: Customer reports'", () => {
    const context = { deviceId: 'ac-1', model: 'split-ac', book, verdict: null, now } as const;
    const visit = deviceVisitView(
      {
        ...fromHistory,
        kind: 'corrective',
        reportedProblem: 'Customer reports the split air conditioner stopped working (clogged filter / coil)',
      },
      context,
    );
    expect(visit.problem).toBe('You reported: The split air conditioner stopped working');
  });
});
