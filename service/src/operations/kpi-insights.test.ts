import { describe, expect, it } from 'vitest';
import { computeTrends, kpiReport, monthsBetween, toKpiRecords } from './kpi-insights.ts';
import {
  defaultPeriod,
  type InsightData,
  type InsightDevice,
  type InsightFilter,
  type InsightTicket,
} from './kpi-records.ts';

const DAY_MS = 86_400_000;
const at = (month: number, day: number) => Date.UTC(2026, month - 1, day, 6);

function ticket(overrides: Partial<InsightTicket> & { id: string }): InsightTicket {
  return {
    kind: 'predictive',
    status: 'closed',
    deviceId: 'sim-ac-00001',
    model: 'split-ac',
    component: 'compressor',
    failureMode: 'compressor_wear',
    technicianId: 't1',
    partnerId: 'p1',
    openedAt: at(3, 1),
    resolvedAt: at(3, 3),
    cancelledAt: null,
    slaDueAt: at(3, 4),
    firstOnSiteAt: at(3, 3),
    firstArrival: 'on_time',
    firstVisitTechnicianId: 't1',
    firstVisitPartnerId: 'p1',
    visits: 1,
    verified: true,
    fixedRemotely: false,
    onSiteMinutes: 90,
    partsUsed: 1,
    firstPartAt: at(3, 3),
    secondVisitAt: null,
    partsToReturn: 1,
    partsReturned: 1,
    ...overrides,
  };
}

function data(
  tickets: InsightTicket[],
  more: { filter?: Partial<InsightFilter>; devices?: InsightDevice[] } = {},
): InsightData {
  return {
    filter: {
      from: at(2, 1),
      to: Date.UTC(2026, 4, 1),
      model: null,
      partnerId: null,
      region: null,
      ...more.filter,
    },
    utcOffsetMin: 0,
    devices: [
      {
        id: 'sim-ac-00001',
        model: 'split-ac',
        installedAt: at(1, 1) - 100 * DAY_MS,
        region: 'Adyar',
        servicedBy: 'p1',
      },
      { id: 'sim-ac-00002', model: 'split-ac', installedAt: at(3, 15), region: 'Adyar', servicedBy: 'p1' },
      ...(more.devices ?? []),
    ],
    tickets,
    feedback: [],
    partners: [{ id: 'p1', name: 'Adyar Service Point', kind: 'franchise' }],
    technicians: [
      { id: 't1', name: 'Kannan', partnerId: 'p1', workDays: [1, 2, 3, 4, 5, 6], dailyCapacityMinutes: 480 },
    ],
    onSite: tickets.flatMap((t) =>
      t.technicianId === null || t.firstOnSiteAt === null
        ? []
        : [{ technicianId: t.technicianId, at: t.firstOnSiteAt, minutes: t.onSiteMinutes }],
    ),
    regions: ['Adyar'],
  };
}

describe('what the tickets say happened', () => {
  const records = (tickets: InsightTicket[]) => toKpiRecords(data(tickets), at(5, 1));

  it('counts a predictive visit that fitted a part or was verified as a failure prevented', () => {
    const r = records([
      ticket({ id: 'part' }),
      ticket({ id: 'verified', partsUsed: 0, partsToReturn: 0, partsReturned: 0 }),
      ticket({ id: 'nothing', partsUsed: 0, verified: false }),
      ticket({ id: 'corrective', kind: 'corrective' }),
      ticket({ id: 'no mode', kind: 'corrective', failureMode: null }),
    ]);
    expect(r.failures.map((f) => f.prevented)).toEqual([true, true, false]);
  });

  it('counts a predictive ticket fixed remotely as a failure prevented without a visit, unless flagged since', () => {
    const remote = {
      fixedRemotely: true,
      visits: 0,
      firstOnSiteAt: null,
      onSiteMinutes: 0,
      partsUsed: 0,
      firstPartAt: null,
      partsToReturn: 0,
      partsReturned: 0,
    };
    const r = records([
      // Resolved remotely, the verifier has not concluded yet: the risk cleared, that is enough.
      ticket({ id: 'remote', ...remote, status: 'resolved', verified: null }),
      ticket({ id: 'remote verified', ...remote, verified: true }),
      // The verifier flagged it: the remote fix did not hold.
      ticket({ id: 'remote flagged', ...remote, status: 'flagged_for_review', verified: false }),
      // A visit that fitted a part: prevented, but not without a visit.
      ticket({ id: 'visit' }),
      // A customer's report resolved remotely is not a predicted failure.
      ticket({ id: 'corrective remote', ...remote, kind: 'corrective' }),
    ]);
    expect(r.failures.map((f) => [f.prevented, f.fixedRemotely])).toEqual([
      [true, true],
      [true, true],
      [true, false],
      [false, false],
    ]);
    const kpis = kpiReport(
      data([ticket({ id: 'remote', ...remote, verified: null }), ticket({ id: 'visit' })]),
      'month',
      at(5, 1),
    );
    expect(kpis.overall).toMatchObject({ failuresPrevented: 2, fixedRemotely: 1 });
  });

  it('takes a second visit as a first-time fix missed, and a part fitted only then as not filled', () => {
    const r = records([ticket({ id: 'twice', visits: 2, secondVisitAt: at(3, 5), firstPartAt: at(3, 5) })]);
    expect(r.tickets[0]!.firstTimeFix).toBe(false);
    expect(r.partsRequests[0]!.filledOnFirstVisit).toBe(false);
  });

  it('gives each technician the working days of the period, with the minutes on site worked', () => {
    const r = records([ticket({ id: 'a' })]);
    // February to April 2026, Monday to Saturday.
    expect(r.workingTime.length).toBe(76);
    expect(r.workingTime.reduce((s, w) => s + w.workedMinutes, 0)).toBe(90);
  });
});

describe('computeTrends', () => {
  it('puts caught, happened, predicted and false alarms in their month, and counts devices in service', () => {
    const trends = computeTrends(
      data([
        ticket({ id: 'caught' }),
        ticket({ id: 'false', partsUsed: 0, verified: false, openedAt: at(4, 2), resolvedAt: at(4, 3) }),
        ticket({ id: 'happened', kind: 'corrective', openedAt: at(4, 20), resolvedAt: at(4, 21) }),
      ]),
    );
    expect(trends.months.map((m) => m.month)).toEqual(['2026-02', '2026-03', '2026-04']);
    expect(trends.months.map((m) => [m.caught, m.failures, m.predicted, m.falseAlarms])).toEqual([
      [0, 0, 0, 0],
      [1, 0, 1, 0],
      [0, 1, 1, 1],
    ]);
    // The second device was installed in mid-March: in service from March on.
    expect(trends.months.map((m) => m.devices)).toEqual([1, 2, 2]);
    expect(trends.months[2]!.failureRatePer100).toBe(50);
    const [model] = trends.models;
    expect(model).toMatchObject({
      model: 'split-ac',
      caught: 1,
      failures: 1,
      caughtShare: 0.5,
      precision: 0.5,
    });
    expect(trends.months.map((m) => m.fixedRemotely)).toEqual([0, 0, 0]);
    // Device-days: 88.75 for the first device, 46.75 for the second; one failure happened.
    expect(model!.mtbfDays).toBeCloseTo(135.5, 5);
  });
});

describe('computeTrends with remote fixes', () => {
  it('counts a predictive ticket fixed remotely as caught and as fixed remotely, never as a false alarm', () => {
    const trends = computeTrends(
      data([
        ticket({
          id: 'remote',
          fixedRemotely: true,
          visits: 0,
          partsUsed: 0,
          verified: null,
          status: 'resolved',
        }),
        ticket({ id: 'visit' }),
      ]),
    );
    const march = trends.months.find((m) => m.month === '2026-03')!;
    expect(march).toMatchObject({ caught: 2, fixedRemotely: 1, falseAlarms: 0, predicted: 2 });
    expect(trends.models[0]).toMatchObject({ caught: 2, fixedRemotely: 1 });
    expect(trends.cells.find((c) => c.month === '2026-03')).toMatchObject({ fixedRemotely: 1 });
  });
});

describe('a partner filter', () => {
  // A third air conditioner, in service all along, stands at a site partner p2 services.
  const elsewhere: InsightDevice = {
    id: 'sim-ac-00003',
    model: 'split-ac',
    installedAt: at(1, 1) - 200 * DAY_MS,
    region: 'Velachery',
    servicedBy: 'p2',
  };
  const corrective = { kind: 'corrective', partsUsed: 0, partsToReturn: 0, partsReturned: 0 } as const;
  const tickets = [
    // p1's device, repaired by p1's technician and once by p2's.
    ticket({ id: 'own', ...corrective, openedAt: at(3, 20), resolvedAt: at(3, 21) }),
    ticket({
      id: 'helped',
      ...corrective,
      technicianId: 't2',
      partnerId: 'p2',
      openedAt: at(4, 2),
      resolvedAt: at(4, 3),
    }),
    // p2's device, repaired by p1's technician.
    ticket({ id: 'away', ...corrective, deviceId: 'sim-ac-00003', openedAt: at(4, 5), resolvedAt: at(4, 6) }),
  ];
  const p1 = data(tickets, { filter: { partnerId: 'p1' }, devices: [elsewhere] });

  it("divides the failures of the partner's devices by those devices, whoever repaired them", () => {
    const trends = computeTrends(p1);
    // p2's device is not counted: one device in February, two from the second's installation in March.
    expect(trends.months.map((m) => m.devices)).toEqual([1, 2, 2]);
    expect(trends.months.map((m) => m.devicesByModel)).toEqual([
      { 'split-ac': 1 },
      { 'split-ac': 2 },
      { 'split-ac': 2 },
    ]);
    // Both failures of p1's first device, not the one of p2's device that p1's technician repaired.
    expect(trends.months.map((m) => m.failures)).toEqual([0, 1, 1]);
    expect(trends.months.map((m) => m.failureRatePer100)).toEqual([0, 50, 50]);
    expect(trends.models).toEqual([expect.objectContaining({ model: 'split-ac', devices: 2, failures: 2 })]);
    // Device-days of p1's two devices (88.75 + 46.75), over their two failures.
    expect(trends.models[0]!.mtbfDays).toBeCloseTo(135.5 / 2, 5);
  });

  it('counts every device and failure without a partner filter', () => {
    const trends = computeTrends(data(tickets, { devices: [elsewhere] }));
    expect(trends.months.map((m) => m.devices)).toEqual([2, 3, 3]);
    expect(trends.models[0]).toMatchObject({ devices: 3, failures: 3 });
  });

  it('grades the partner on the jobs its technicians took, whatever device they were on', () => {
    const kpis = kpiReport(p1, 'technician', at(5, 1));
    expect(kpis.overall).toMatchObject({ failuresHappened: 2 });
    expect(kpis.groups.map((g) => g.key)).toEqual(['t1']);
    expect(toKpiRecords(p1, at(5, 1)).tickets.map((t) => t.ticketId)).toEqual(['own', 'away']);
  });
});

describe('monthsBetween', () => {
  it('lists local months, across a year end', () => {
    // 1 February 00:00 in Chennai (UTC+5:30) ends January there.
    expect(monthsBetween(Date.UTC(2025, 10, 20), Date.UTC(2026, 0, 31, 18, 30), 330)).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
    ]);
  });
});

describe('defaultPeriod', () => {
  it('reaches back to the first of the month eleven months ago, in the local calendar, and ends now', () => {
    const now = Date.UTC(2026, 10, 28, 6, 17);
    const period = defaultPeriod(now, 330);
    // 1 December 2025 00:00 in Chennai is 30 November 18:30 UTC.
    expect(period).toEqual({ from: Date.UTC(2025, 10, 30, 18, 30), to: now });
    expect(monthsBetween(period.from, period.to, 330)).toHaveLength(12);
  });

  it('counts the month by the local clock: past 18:30 UTC on the 30th it is already December in Chennai', () => {
    const now = Date.UTC(2026, 10, 30, 20);
    expect(defaultPeriod(now, 330).from).toBe(Date.UTC(2025, 11, 31, 18, 30));
    expect(monthsBetween(defaultPeriod(now, 330).from, now, 330)).toEqual(
      monthsBetween(Date.UTC(2026, 0, 1), Date.UTC(2026, 11, 1, 6), 0),
    );
  });
});
