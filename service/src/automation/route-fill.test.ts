import { chennaiMetro } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { heldAt } from './dispatch-insertion.ts';
import {
  fillDay,
  laterWorkingDayLeft,
  nextFillDay,
  predictiveWaitsForFill,
  ROUTE_FILL_FREE_KM,
  ROUTE_FILL_FROM_PRIORITY,
  ROUTE_FILL_HOUR,
  ROUTE_FILL_MAX_SHARE,
  ROUTE_FILL_RELEASE_DAYS,
  releasedFromFill,
} from './route-fill.ts';
import { clock, eastKm, job, technician, testDayStart } from './test-factories.ts';
import { DAY_MS, HOUR_MS } from './work.ts';

/** The day being filled: two technicians, one living west, one east; the east one has a repair at 10:00 20 km out. */
function tomorrow() {
  const west = technician({ id: 'west', homeBase: eastKm(-12) });
  const east = technician({ id: 'east', homeBase: eastKm(8) });
  const repair = job({ id: 'repair', position: eastKm(20), window: heldAt(clock(10)), priority: 2 });
  return { team: [west, east], routes: [[], [repair]] };
}

const visit = (id: string, km: number, northKm = 0) =>
  job({
    id,
    position: eastKm(km, northKm),
    window: { start: clock(9), end: clock(18) },
    durationMinutes: 45,
    priority: 3,
  });

describe('fitting held visits into a day the evening before', () => {
  it('sends a visit next door to a repair already booked with that repair’s technician', () => {
    const { team, routes } = tomorrow();
    const [placed, ...rest] = fillDay(testDayStart, team, routes, [
      { id: 'next-door', job: visit('next-door', 21), lastChance: false },
    ]);
    expect(rest).toEqual([]);
    expect(team[placed!.insertion.technician]!.id).toBe('east');
    // 12 km home to door and back would be 24 km; beside the repair it adds about 2.
    expect(placed!.ownTripKm).toBeGreaterThan(20);
    expect(placed!.insertion.marginalKm).toBeLessThan(ROUTE_FILL_MAX_SHARE * placed!.ownTripKm);
    expect(placed!.lastChance).toBe(false);
  });

  it('keeps back a visit that would be a trip of its own, to wait for a better day', () => {
    const { team, routes } = tomorrow();
    expect(
      fillDay(testDayStart, team, routes, [
        { id: 'far-north', job: visit('far-north', 0, 18), lastChance: false },
      ]),
    ).toEqual([]);
  });

  it('sends a visit that adds only a few km to a day even without work nearby, since waiting cannot save much', () => {
    const { team, routes } = tomorrow();
    const [placed] = fillDay(testDayStart, team, routes, [
      { id: 'round-the-corner', job: visit('round-the-corner', -11), lastChance: false },
    ]);
    expect(placed).toMatchObject({ id: 'round-the-corner', lastChance: false });
    expect(team[placed!.insertion.technician]!.id).toBe('west');
    expect(placed!.insertion.marginalKm).toBeLessThanOrEqual(ROUTE_FILL_FREE_KM);
    expect(placed!.insertion.marginalKm).toBeGreaterThan(ROUTE_FILL_MAX_SHARE * placed!.ownTripKm);
  });

  it('sends a visit on the last working day of its window whatever it costs', () => {
    const { team, routes } = tomorrow();
    const [placed] = fillDay(testDayStart, team, routes, [
      { id: 'far-north', job: visit('far-north', 0, 18), lastChance: true },
    ]);
    expect(placed).toMatchObject({ id: 'far-north', lastChance: true });
    expect(placed!.insertion.marginalKm).toBeGreaterThan(ROUTE_FILL_MAX_SHARE * placed!.ownTripKm);
  });

  it('sends the visits of one site together once the last-chance one has opened the way', () => {
    const { team, routes } = tomorrow();
    // Two devices at a site 18 km north: one visit must go, the other may, and rides along at no cost.
    const placed = fillDay(testDayStart, team, routes, [
      { id: 'device-b', job: visit('device-b', 0, 18), lastChance: false },
      { id: 'device-a', job: visit('device-a', 0, 18), lastChance: true },
    ]);
    expect(placed.map((p) => p.id)).toEqual(['device-a', 'device-b']);
    expect(placed[1]!.insertion.technician).toBe(placed[0]!.insertion.technician);
    expect(placed[1]!.insertion.marginalKm).toBeLessThan(0.5);
  });

  it('places the cheapest first, each into the day as the ones before it left it', () => {
    const { team, routes } = tomorrow();
    const placed = fillDay(testDayStart, team, routes, [
      { id: 'two-km-on', job: visit('two-km-on', 22), lastChance: false },
      { id: 'next-door', job: visit('next-door', 20.5), lastChance: false },
    ]);
    expect(placed.map((p) => p.id)).toEqual(['next-door', 'two-km-on']);
    const east = placed.filter((p) => team[p.insertion.technician]!.id === 'east');
    expect(east).toHaveLength(2);
    // Both fit around the repair at 10:00 without moving it.
    expect(routes[1]).toEqual([expect.objectContaining({ id: 'repair' })]);
  });

  it('gives a visit only to the technicians it names (the partner that services the site)', () => {
    const { team, routes } = tomorrow();
    const placed = fillDay(testDayStart, team, routes, [
      { id: 'next-door', job: visit('next-door', 21), technicianIds: new Set(['west']), lastChance: false },
      { id: 'must-go', job: visit('must-go', 21, 0.3), technicianIds: new Set(['west']), lastChance: true },
    ]);
    expect(placed.map((p) => p.id)).toEqual(['must-go', 'next-door']);
    for (const p of placed) expect(team[p.insertion.technician]!.id).toBe('west');
  });

  it('places no more AMC work than the partner’s share of the day has left, except on a last chance', () => {
    const { team, routes } = tomorrow();
    // 60 minutes of the partner's AMC share left: the first 45-minute visit fits, the second waits…
    const budgets = new Map([['partner-east', 60]]);
    const amc = (id: string, km: number, lastChance = false) => ({
      id,
      job: visit(id, km),
      lastChance,
      budget: 'partner-east',
    });
    const placed = fillDay(testDayStart, team, routes, [amc('next-door', 20.5), amc('two-km-on', 22)], {
      budgets,
    });
    expect(placed.map((p) => p.id)).toEqual(['next-door']);
    // …unless it is on its last chance: that one goes first and takes the share, and the other waits.
    expect(
      fillDay(testDayStart, team, routes, [amc('next-door', 20.5), amc('two-km-on', 22, true)], {
        budgets,
      }).map((p) => p.id),
    ).toEqual(['two-km-on']);
    // Work drawing on no budget is not held back by it.
    const repair = { id: 'repair-next-door', job: visit('repair-next-door', 21), lastChance: false };
    expect(
      fillDay(testDayStart, team, routes, [amc('next-door', 20.5), repair], { budgets }).map((p) => p.id),
    ).toEqual(['next-door', 'repair-next-door']);
    // The map passed in is not changed.
    expect(budgets.get('partner-east')).toBe(60);
  });

  it('leaves a visit nobody qualified works for', () => {
    const { team, routes } = tomorrow();
    const water = { ...visit('water', 21), skill: 'water_treatment' as const };
    expect(fillDay(testDayStart, team, routes, [{ id: 'water', job: water, lastChance: true }])).toEqual([]);
  });
});

describe('whether a held visit has a working day left after this one', () => {
  const weekdays = (day: number) =>
    [0, 6].includes(new Date(day + DAY_MS / 2).getUTCDay()) ? null : { startMinute: 540, endMinute: 1080 };
  // testDayStart is Wednesday 10 June 2026.
  const wednesday = testDayStart;

  it('counts a later working day on which the window leaves room for the visit', () => {
    expect(
      laterWorkingDayLeft(
        wednesday,
        { start: wednesday, end: wednesday + DAY_MS + 10 * 3_600_000 },
        45,
        weekdays,
      ),
    ).toBe(true);
  });

  it('does not count a day whose window closes before a technician could be there', () => {
    // Thursday's window closes at 09:20: work starts at 09:00 and the drive takes time.
    expect(
      laterWorkingDayLeft(
        wednesday,
        { start: wednesday, end: wednesday + DAY_MS + (9 * 60 + 20) * 60_000 },
        45,
        weekdays,
      ),
    ).toBe(false);
  });

  it('does not count a day whose working hours end before the visit would', () => {
    // The window opens Thursday 17:45 and closes at midnight: a 45-minute visit would end after 18:00.
    const thursday = wednesday + DAY_MS;
    expect(
      laterWorkingDayLeft(
        wednesday,
        { start: thursday + (17 * 60 + 45) * 60_000, end: thursday + DAY_MS },
        45,
        weekdays,
      ),
    ).toBe(false);
    expect(
      laterWorkingDayLeft(
        wednesday,
        { start: thursday + 17 * 60 * 60_000, end: thursday + DAY_MS },
        45,
        weekdays,
      ),
    ).toBe(true);
  });

  it('does not count days nobody works', () => {
    const friday = wednesday + 2 * DAY_MS;
    expect(laterWorkingDayLeft(friday, { start: wednesday, end: friday + 3 * DAY_MS }, 45, weekdays)).toBe(
      false,
    );
    expect(
      laterWorkingDayLeft(
        friday,
        { start: wednesday, end: friday + 3 * DAY_MS + 10 * 3_600_000 },
        45,
        weekdays,
      ),
    ).toBe(true);
  });
});

describe('which predictive work waits for the route fill', () => {
  const weekdays = (day: number) =>
    [0, 6].includes(new Date(day + DAY_MS / 2).getUTCDay()) ? null : { startMinute: 540, endMinute: 1080 };
  const offset = chennaiMetro.utcOffsetMin;
  // testDayStart is Wednesday 10 June 2026 (local midnight).
  const thursday = testDayStart + DAY_MS;
  const friday = testDayStart + 2 * DAY_MS;
  const fourHours = 240;

  it('is filled into tomorrow by tonight’s run, and into the day after by a run after the evening', () => {
    expect(nextFillDay(clock(18, 59), offset)).toBe(thursday);
    expect(nextFillDay(clock(ROUTE_FILL_HOUR), offset)).toBe(friday);
    expect(nextFillDay(clock(23), offset)).toBe(friday);
  });

  it('waits when not urgent and the next run still reaches a working day of its window', () => {
    // Opened Wednesday at noon, due by Monday noon: Thursday and Friday are still to come.
    const within = { start: clock(16), end: testDayStart + 5 * DAY_MS + 12 * HOUR_MS };
    expect(predictiveWaitsForFill(3, within, fourHours, thursday, weekdays)).toBe(true);
    expect(predictiveWaitsForFill(4, within, fourHours, thursday, weekdays)).toBe(true);
  });

  it('is booked at once when urgent (P1, P2)', () => {
    const within = { start: clock(16), end: testDayStart + 5 * DAY_MS };
    expect(ROUTE_FILL_FROM_PRIORITY).toBe(3);
    expect(predictiveWaitsForFill(2, within, fourHours, thursday, weekdays)).toBe(false);
    expect(predictiveWaitsForFill(1, within, fourHours, thursday, weekdays)).toBe(false);
  });

  it('is booked at once when its window closes before the next run’s day could take it', () => {
    // Due Thursday 09:15: nobody can start by then after a 09:00 start and the drive there.
    const within = { start: clock(16), end: thursday + 9.25 * HOUR_MS };
    expect(predictiveWaitsForFill(3, within, fourHours, thursday, weekdays)).toBe(false);
    // Opened after tonight's run, so the next run fills Friday: due Friday 17:00 it can wait, due 09:00 not.
    expect(
      predictiveWaitsForFill(3, { start: clock(20), end: friday + 17 * HOUR_MS }, 60, friday, weekdays),
    ).toBe(true);
    expect(
      predictiveWaitsForFill(3, { start: clock(20), end: friday + 9 * HOUR_MS }, 60, friday, weekdays),
    ).toBe(false);
  });
});

describe('when waiting predictive work goes to the normal dispatch instead', () => {
  const offset = chennaiMetro.utcOffsetMin;
  const evening = (days: number) => clock(ROUTE_FILL_HOUR) + days * DAY_MS;

  it('waits through the evenings of the day it opened and the next, and is released on the second day', () => {
    expect(ROUTE_FILL_RELEASE_DAYS).toBe(2);
    // Opened Wednesday 11:00 local.
    const opened = clock(11);
    expect(releasedFromFill(opened, evening(0), offset)).toBe(false);
    expect(releasedFromFill(opened, evening(1), offset)).toBe(false);
    expect(releasedFromFill(opened, evening(2), offset)).toBe(true);
    expect(releasedFromFill(opened, evening(5), offset)).toBe(true);
  });

  it('counts local days, not hours: work opened late in the evening waits as long as work opened in the morning', () => {
    const lateOpened = clock(23, 30);
    expect(releasedFromFill(lateOpened, evening(1), offset)).toBe(false);
    expect(releasedFromFill(lateOpened, evening(2), offset)).toBe(true);
    // A run in the small hours belongs to the day it runs on.
    expect(releasedFromFill(lateOpened, clock(0, 30) + 2 * DAY_MS, offset)).toBe(true);
  });

  it('waits as many days as it is told', () => {
    expect(releasedFromFill(clock(11), evening(2), offset, 3)).toBe(false);
    expect(releasedFromFill(clock(11), evening(3), offset, 3)).toBe(true);
  });
});
