import { arrivalAgainstSlot, chennaiMetro, type DeviceModel, deviceModels } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { generateDemoWorld } from '../automation/demo-world.ts';
import { NETWORK_WORKING_WEEKDAYS } from '../automation/service-network.ts';
import { DAY_MS, localDayStart, MINUTE_MS } from '../automation/work.ts';
import type { HistoryTechnician } from './demo-seed-history-jobs.ts';
import { bookedSlotStart, lateArrivalMinutes, latenessShare } from './demo-seed-history-punctuality.ts';
import { isoWeekday } from './local-time.ts';

const now = Date.UTC(2026, 10, 30);
const seed = 7;

/** The demo world's technicians, as the history reads them. */
const technicians: HistoryTechnician[] = generateDemoWorld({
  seed: 1,
  now,
  devices: Array.from({ length: 40 }, (_, i) => ({
    id: `sim-${i}`,
    model: deviceModels[i % deviceModels.length] as DeviceModel,
    position: {
      lat: chennaiMetro.center.lat + (i % 7) * 0.01,
      lon: chennaiMetro.center.lon + (i % 5) * 0.01,
    },
    installedAt: now - 400 * DAY_MS,
  })),
}).technicians.map((t) => ({
  id: t.id,
  partnerId: t.partnerId,
  home: t.homeBase,
  // The demo network's week and hours, in the demo region's zone (India: 5 h 30 ahead of UTC).
  workingHours: { ...t.workingHours, days: NETWORK_WORKING_WEEKDAYS, utcOffsetMin: 330 },
  vanId: null,
  skills: [],
}));

/** Every quarter hour a technician may begin an hour's visit on their working days of 60 days. */
function arrivals(t: HistoryTechnician): number[] {
  const { startMinute, endMinute, days, utcOffsetMin } = t.workingHours;
  const out: number[] = [];
  for (let d = 0; d < 60; d++) {
    const dayStart = localDayStart(now - d * DAY_MS, utcOffsetMin);
    if (!days.includes(isoWeekday(dayStart, utcOffsetMin))) continue;
    // Off the quarter by a few minutes, as the simulator's repair times are.
    for (let m = startMinute; m <= endMinute - 60; m += 15) out.push(dayStart + (m + (d % 7)) * MINUTE_MS);
  }
  return out;
}

describe('bookedSlotStart: when a history visit had been booked for', () => {
  const visits = technicians.flatMap((t) =>
    arrivals(t).map((arrival) => {
      const slot = bookedSlotStart(t, arrival, arrival - DAY_MS, seed);
      return { t, arrival, slot, verdict: arrivalAgainstSlot(arrival, { start: slot }) };
    }),
  );
  const lateShare = (of: typeof visits) => of.filter((v) => v.verdict === 'late').length / of.length;

  it('has most visits begun on time and some late, never early, as the on-time KPI reads them', () => {
    expect(visits.length).toBeGreaterThan(5_000);
    expect(visits.some((v) => v.verdict === 'early')).toBe(false);
    expect(lateShare(visits)).toBeGreaterThan(latenessShare.min * 0.4);
    expect(lateShare(visits)).toBeLessThan(latenessShare.max * 1.6);
    // Late as technicians are: within a couple of hours, not half a day.
    for (const v of visits)
      expect(v.arrival - v.slot).toBeLessThanOrEqual((lateArrivalMinutes.max + 15) * MINUTE_MS);
  });

  it('gives technicians their own punctuality, so partners’ on-time figures differ', () => {
    const shares = technicians.map((t) => lateShare(visits.filter((v) => v.t === t)));
    expect(Math.max(...shares) - Math.min(...shares)).toBeGreaterThan(0.05);
  });

  it('has more visits begun late as the day goes on than first thing in the morning', () => {
    const minuteOf = (v: (typeof visits)[number]) =>
      (v.arrival - localDayStart(v.arrival, v.t.workingHours.utcOffsetMin)) / MINUTE_MS -
      v.t.workingHours.startMinute;
    const morning = visits.filter((v) => minuteOf(v) < 90);
    const afternoon = visits.filter((v) => minuteOf(v) >= 300);
    expect(lateShare(afternoon)).toBeGreaterThan(2 * lateShare(morning));
  });

  it('books on the quarter hour, inside the technician’s working hours', () => {
    for (const { t, slot } of visits) {
      expect(slot % (15 * MINUTE_MS)).toBe(0);
      const dayStart = localDayStart(slot, t.workingHours.utcOffsetMin);
      const minute = (slot - dayStart) / MINUTE_MS;
      expect(minute).toBeGreaterThanOrEqual(t.workingHours.startMinute);
      expect(minute).toBeLessThan(t.workingHours.endMinute);
    }
  });

  it('books the same slot for the same visit, whatever else the history draws', () => {
    const { t, arrival } = visits[123]!;
    expect(bookedSlotStart(t, arrival, arrival - DAY_MS, seed)).toBe(visits[123]!.slot);
    const again = visits.map((v) => bookedSlotStart(v.t, v.arrival, v.arrival - DAY_MS, seed + 1));
    expect(again.some((slot, i) => slot !== visits[i]!.slot)).toBe(true);
  });

  it('never books a slot before the booking: a visit booked just before it began was booked for then', () => {
    for (const { t, arrival } of visits.slice(0, 2_000)) {
      const bookedAt = arrival - 20 * MINUTE_MS;
      const slot = bookedSlotStart(t, arrival, bookedAt, seed);
      expect(slot).toBeGreaterThanOrEqual(bookedAt);
      expect(arrivalAgainstSlot(arrival, { start: slot })).toBe('on_time');
    }
  });
});
