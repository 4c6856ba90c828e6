import { describe, expect, it } from 'vitest';
import {
  type AmcContract,
  amcVisitsFor,
  partnerAmcCapacity,
  renewalsDue,
  scheduleAmcVisits,
  visitsAtRisk,
  weekdayOf,
} from './amc-schedule.ts';
import { generateServiceNetwork } from './service-network.ts';
import { eastKm, testDayStart } from './test-factories.ts';
import { DAY_MS, localDayStart } from './work.ts';

const IST = 330;
/** Local midnight, Wednesday 10 June 2026. */
const start = testDayStart;
const year = 365 * DAY_MS;

function contract(overrides: Partial<AmcContract> & { contractId: string }): AmcContract {
  return {
    customerId: 'cust-1',
    siteId: `site-${overrides.contractId}`,
    sitePosition: eastKm(2),
    partnerId: 'partner-01',
    startsAt: start,
    endsAt: start + year,
    visitsPerYear: 4,
    deviceCount: 2,
    ...overrides,
  };
}

const everyDay = [0, 1, 2, 3, 4, 5, 6];

describe('amcVisitsFor', () => {
  it('spreads the visits evenly over the contract year, each due mid-way through its quarter', () => {
    const visits = amcVisitsFor(contract({ contractId: 'c1' }));
    expect(visits.map((v) => v.visitId)).toEqual(['c1-v1', 'c1-v2', 'c1-v3', 'c1-v4']);
    const quarter = year / 4;
    visits.forEach((v, k) => {
      expect(v.dueAt).toBe(Math.round(start + (k + 0.5) * quarter));
      // Window ±¼ of the interval (the default share of ½): about 46 days wide, inside the contract.
      expect(v.window.end - v.window.start).toBeCloseTo(quarter / 2, -3);
      expect(v.window.start).toBeGreaterThanOrEqual(start);
      expect(v.window.end).toBeLessThanOrEqual(start + year);
    });
    for (let k = 1; k < visits.length; k++)
      expect(visits[k]!.window.start).toBeGreaterThan(visits[k - 1]!.window.end);
    // 20 minutes to set up, 25 per device.
    expect(visits[0]!.durationMinutes).toBe(70);
  });

  it('entitles a two-year contract to twice the yearly visits', () => {
    expect(
      amcVisitsFor(contract({ contractId: 'c2', visitsPerYear: 2, endsAt: start + 2 * year })),
    ).toHaveLength(4);
  });
});

describe('scheduleAmcVisits', () => {
  const capacity = (minutes: number, workingWeekdays = everyDay) => [
    { partnerId: 'partner-01', amcMinutesPerDay: minutes, workingWeekdays },
  ];
  const options = { utcOffsetMin: IST, from: start };

  it('books each visit on its due day when the partner has room', () => {
    const { scheduled, unscheduled } = scheduleAmcVisits(
      [contract({ contractId: 'c1' })],
      capacity(480),
      [],
      options,
    );
    expect(unscheduled).toEqual([]);
    for (const v of scheduled) {
      expect(v.scheduledDay).toBe(localDayStart(v.dueAt, IST));
      expect(v.shiftedDays).toBe(0);
    }
  });

  it('shifts visits within their window to the nearest day with room when the due day is full', () => {
    const same = ['a', 'b', 'c', 'd'].map((id) => contract({ contractId: id }));
    // Room for one 70-minute visit a day.
    const { scheduled } = scheduleAmcVisits(same, capacity(100), [], options);
    const firstVisits = scheduled.filter((v) => v.sequence === 1);
    // Due day, then a day either side (earlier first on a tie), then two days earlier.
    expect(firstVisits.map((v) => v.shiftedDays)).toEqual([0, -1, 1, -2]);
    for (const v of scheduled) {
      expect(v.scheduledDay).toBeGreaterThanOrEqual(localDayStart(v.window.start, IST));
      expect(v.scheduledDay).toBeLessThanOrEqual(v.window.end);
    }
  });

  it('counts minutes already booked and skips the days the partner does not work', () => {
    const c = contract({ contractId: 'c1', visitsPerYear: 1 });
    const [visit] = amcVisitsFor(c);
    const dueDay = localDayStart(visit!.dueAt, IST);
    const dueWeekday = weekdayOf(dueDay, IST);
    const workdays = everyDay.filter((d) => d !== (dueWeekday + 1) % 7);
    const { scheduled } = scheduleAmcVisits(
      [c],
      capacity(120, workdays),
      [{ partnerId: 'partner-01', day: dueDay, minutes: 100 }],
      options,
    );
    // Due day full, the day after is off: the day before it is.
    expect(scheduled[0]!.shiftedDays).toBe(-1);
  });

  it('books nothing before `bookFrom`, and a visit whose window closes before it on its first day', () => {
    // A run in the evening booked visits onto the day that was over; none of them got a technician.
    const c = contract({ contractId: 'c1', visitsPerYear: 1 });
    const [visit] = amcVisitsFor(c);
    const dueDay = localDayStart(visit!.dueAt, IST);
    const lastDay = localDayStart(visit!.window.end, IST);
    // The run comes before the window closes, but after the last working day in it is over.
    const evening = visit!.window.end - 60_000;
    const { scheduled } = scheduleAmcVisits([c], capacity(480), [], {
      utcOffsetMin: IST,
      from: dueDay + 19 * 3_600_000,
      bookFrom: dueDay + DAY_MS,
    });
    expect(scheduled.map((v) => v.scheduledDay)).toEqual([dueDay + DAY_MS]);
    const late = scheduleAmcVisits([c], capacity(480), [], {
      utcOffsetMin: IST,
      from: evening,
      bookFrom: lastDay + DAY_MS,
    });
    expect(late.scheduled.map((v) => v.scheduledDay)).toEqual([lastDay + DAY_MS]);
    expect(late.scheduled[0]!.scheduledDay).toBeGreaterThan(visit!.window.end);
  });

  it('reports the visits it cannot fit inside their window rather than booking them outside', () => {
    const tight = contract({ contractId: 'tight', visitsPerYear: 12, deviceCount: 8 });
    const { scheduled, unscheduled } = scheduleAmcVisits([tight], capacity(150), [], options);
    expect(scheduled).toEqual([]);
    expect(unscheduled).toHaveLength(12);
    expect(unscheduled[0]!.reason).toBe('no_capacity_in_window');
    const orphan = scheduleAmcVisits(
      [contract({ contractId: 'x', partnerId: 'nobody' })],
      capacity(480),
      [],
      options,
    );
    expect(orphan.unscheduled[0]!.reason).toBe('partner_has_no_capacity');
  });

  it('never books a partner’s day past its capacity, and books nothing in the past or twice', () => {
    const network = generateServiceNetwork({ seed: 5, now: start });
    const contracts = Array.from({ length: 120 }, (_, i) =>
      contract({
        contractId: `k${i}`,
        partnerId: network.partners[i % network.partners.length]!.id,
        startsAt: start - (i % 12) * 30 * DAY_MS,
        endsAt: start - (i % 12) * 30 * DAY_MS + year,
        visitsPerYear: [2, 3, 4][i % 3]!,
        deviceCount: 1 + (i % 6),
      }),
    );
    const cap = partnerAmcCapacity(network.technicians, 0.3);
    const existing = new Set(['k0-v1', 'k13-v2']);
    const { scheduled } = scheduleAmcVisits(contracts, cap, [], { ...options, existingVisitIds: existing });
    const load = new Map<string, number>();
    for (const v of scheduled) {
      const k = `${v.partnerId}@${v.scheduledDay}`;
      load.set(k, (load.get(k) ?? 0) + v.durationMinutes);
      expect(v.scheduledDay).toBeGreaterThanOrEqual(start);
      expect(existing.has(v.visitId)).toBe(false);
      expect(weekdayOf(v.scheduledDay, IST)).not.toBe(0);
    }
    for (const [k, minutes] of load) {
      const partnerId = k.split('@')[0]!;
      expect(minutes).toBeLessThanOrEqual(cap.find((c) => c.partnerId === partnerId)!.amcMinutesPerDay);
    }
    expect(new Set(scheduled.map((v) => v.visitId)).size).toBe(scheduled.length);
  });
});

describe('renewalsDue', () => {
  it('lists the contracts ending within the period that nobody has renewed, soonest first', () => {
    const now = start + 300 * DAY_MS;
    const contracts = [
      contract({ contractId: 'ends-in-65' }),
      contract({
        contractId: 'ends-in-20',
        startsAt: start - 45 * DAY_MS,
        endsAt: start - 45 * DAY_MS + year,
      }),
      contract({ contractId: 'renewed', endsAt: now + 10 * DAY_MS, renewedAt: now - DAY_MS }),
      contract({ contractId: 'ended', endsAt: now - DAY_MS }),
    ];
    expect(renewalsDue(contracts, now, 30).map((r) => [r.contractId, r.daysLeft])).toEqual([
      ['ends-in-20', 20],
    ]);
    expect(renewalsDue(contracts, now, 90).map((r) => r.contractId)).toEqual(['ends-in-20', 'ends-in-65']);
  });
});

describe('visitsAtRisk', () => {
  it('flags overdue, late-booked, missed and unbooked-closing visits, and leaves the rest', () => {
    const now = start + 50 * DAY_MS;
    const window = (fromDay: number, toDay: number) => ({
      start: start + fromDay * DAY_MS,
      end: start + toDay * DAY_MS,
    });
    const visits = [
      {
        visitId: 'done',
        contractId: 'c',
        window: window(0, 40),
        scheduledAt: null,
        completedAt: start + 30 * DAY_MS,
      },
      { visitId: 'overdue', contractId: 'c', window: window(0, 45), scheduledAt: null, completedAt: null },
      {
        visitId: 'booked-late',
        contractId: 'c',
        window: window(40, 60),
        scheduledAt: start + 62 * DAY_MS,
        completedAt: null,
      },
      {
        visitId: 'missed-day',
        contractId: 'c',
        window: window(40, 70),
        scheduledAt: start + 47 * DAY_MS,
        completedAt: null,
      },
      { visitId: 'closing', contractId: 'c', window: window(40, 55), scheduledAt: null, completedAt: null },
      { visitId: 'fine', contractId: 'c', window: window(40, 90), scheduledAt: null, completedAt: null },
      {
        visitId: 'booked',
        contractId: 'c',
        window: window(40, 55),
        scheduledAt: start + 53 * DAY_MS,
        completedAt: null,
      },
    ];
    expect(visitsAtRisk(visits, now, 7).map((v) => [v.visitId, v.risk])).toEqual([
      ['overdue', 'overdue'],
      ['closing', 'unscheduled_window_closing'],
      ['booked-late', 'scheduled_after_window'],
      ['missed-day', 'scheduled_date_passed'],
    ]);
  });
});
