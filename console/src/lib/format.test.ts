import { afterEach, describe, expect, it } from 'vitest';
import {
  clockIn,
  clockOf,
  displayTimeZone,
  dueWithin,
  formatDate,
  formatDateTime,
  formatDaysLeft,
  formatProbability,
  formatShare,
  formatTime,
  formatTimeRange,
  formatValue,
  formatValueRange,
  formatZone,
  plainWords,
  setDisplayTimeZone,
  wallClockDate,
  wholeShares,
  words,
  zoneOffsetMinutes,
} from './format.ts';

describe('formatShare', () => {
  it('shows an unknown share as a dash and a known one as a percentage', () => {
    expect(formatShare(null)).toBe('–');
    expect(formatShare(0.904)).toBe('90 %');
  });
});

describe('wholeShares', () => {
  const sum = (shares: Partial<Record<string, number>>) => Object.values(shares).reduce((x, y) => x! + y!, 0);

  it('gives whole percentages within a point of the exact ones that add up to 100, as the parts do', () => {
    // The fleet overview read 'Healthy 93 %' and 'At risk 8 %' for 185 and 15 of 200 devices.
    const fleet = wholeShares({ healthy: 185, at_risk: 15, failed: 0, offline: 0 }, 200);
    expect(sum(fleet)).toBe(100);
    expect(fleet.healthy! + fleet.at_risk!).toBe(100);
    expect(Math.abs(fleet.healthy! - 92.5)).toBeLessThan(1);
    expect(fleet).toMatchObject({ failed: 0, offline: 0 });
    expect(wholeShares({ a: 1, b: 1, c: 1 }, 3)).toEqual({ a: 34, b: 33, c: 33 });
    expect(wholeShares({ a: 1 }, 0)).toEqual({});
  });

  it('gives parts that do not make up the whole the rounded share they do make up', () => {
    expect(sum(wholeShares({ a: 1, b: 1 }, 3))).toBe(67);
  });
});

describe('formatValueRange', () => {
  it('writes a range of negative values readably, with minus signs and "to", not "-20–-16 °C"', () => {
    expect(formatValueRange(-20, -16, '°C')).toBe('−20 to −16 °C');
    expect(formatValueRange(-2, 4, '°C')).toBe('−2 to 4 °C');
    expect(formatValueRange(10, 18, '°C')).toBe('10–18 °C');
    expect(formatValue(-18.72, '°C')).toBe('−18.7 °C');
  });
});

describe('formatProbability', () => {
  it('prints a probability as a percentage, never as certainty or impossibility', () => {
    expect(formatProbability(0.86)).toBe('86 %');
    expect(formatProbability(0.99)).toBe('99 %');
    expect(formatProbability(0.996)).toBe('> 99 %');
    expect(formatProbability(1)).toBe('> 99 %');
    expect(formatProbability(0.004)).toBe('< 1 %');
    expect(formatProbability(0)).toBe('< 1 %');
    expect(formatProbability(0.01)).toBe('1 %');
  });

  it('moves the ends with the digits asked for', () => {
    expect(formatProbability(0.996, 1)).toBe('99.6 %');
    expect(formatProbability(0.9996, 1)).toBe('> 99.9 %');
    expect(formatProbability(0.0004, 1)).toBe('< 0.1 %');
  });
});

describe('dueWithin', () => {
  it('counts a risk due within a week exactly when its row reads 7 days or fewer', () => {
    for (const days of [7.25, 7.41, 6.6, 0.4]) {
      expect(dueWithin(days, 7), `${days}`).toBe(true);
      expect(Number.parseInt(formatDaysLeft(days, 14, 0.9), 10) || 0).toBeLessThanOrEqual(7);
    }
    expect(dueWithin(7.5, 7)).toBe(false);
    expect(formatDaysLeft(7.5, 14, 0.9)).toBe('8 days');
    expect(dueWithin(null, 7)).toBe(false);
  });
});

describe('formatDaysLeft', () => {
  it('rounds an estimate to whole days', () => {
    expect(formatDaysLeft(6.4, 14, 0.9)).toBe('6 days');
    expect(formatDaysLeft(1.2, 14, 0.9)).toBe('1 day');
    expect(formatDaysLeft(0.3, 14, 0.9)).toBe('under a day');
  });

  it('puts an unlikely failure beyond the horizon', () => {
    expect(formatDaysLeft(null, 14, 0.1)).toBe('> 14 days');
  });

  it('never puts a likely failure beyond the horizon its probability speaks of', () => {
    expect(formatDaysLeft(null, 14, 0.97)).toBe('within 14 days');
  });
});

describe('times in the display time zone', () => {
  // 26 Nov 2026, 11:45 UTC: 17:15 in Chennai, 12:45 in Berlin.
  const at = Date.UTC(2026, 10, 26, 11, 45);
  const zoneBefore = displayTimeZone();
  afterEach(() => setDisplayTimeZone(zoneBefore));

  it('shows the clock of the configured zone, not the server’s (UTC here)', () => {
    setDisplayTimeZone('Asia/Kolkata');
    expect(formatDateTime(at)).toBe('26 Nov 2026, 17:15');
    expect(formatTime(at)).toBe('17:15');
    setDisplayTimeZone('Europe/Berlin');
    expect(formatDateTime(at)).toBe('26 Nov 2026, 12:45');
  });

  it('puts a late-evening UTC time on the next local day', () => {
    setDisplayTimeZone('Asia/Kolkata');
    expect(formatDate(Date.UTC(2026, 10, 26, 20, 0))).toBe('27 Nov 2026');
  });

  it('names the zone where a reader may be elsewhere', () => {
    setDisplayTimeZone('Asia/Kolkata');
    expect(formatZone(at)).toBe('IST');
    expect(formatDateTime(at, { zone: true })).toBe('26 Nov 2026, 17:15 IST');
    expect(formatTimeRange(at, at + 3 * 3_600_000)).toBe('26 Nov 2026, 17:15–20:15 IST');
    setDisplayTimeZone('Europe/Berlin');
    expect(formatZone(at)).toBe('CET');
    setDisplayTimeZone('UTC');
    expect(formatZone(at)).toBe('UTC');
  });

  it('gives both days of a visit that crosses midnight', () => {
    setDisplayTimeZone('Asia/Kolkata');
    expect(formatTimeRange(at + 6 * 3_600_000, at + 8 * 3_600_000)).toBe(
      '26 Nov 2026, 23:15–27 Nov 2026, 01:15 IST',
    );
  });

  it('refuses a zone it does not know instead of showing UTC under another name', () => {
    expect(() => setDisplayTimeZone('Mars/Olympus_Mons')).toThrow(/not a time zone/);
  });

  it('reads the clock for chart ticks in the display zone', () => {
    setDisplayTimeZone('Asia/Kolkata');
    expect(clockOf(Date.UTC(2026, 10, 25, 18, 30))).toEqual({ hour: 0, minute: 0 });
  });
});

describe('wallClockDate', () => {
  it('reads the display zone’s wall clock through local Date fields, as uPlot’s tzDate does', () => {
    const before = displayTimeZone();
    setDisplayTimeZone('Asia/Kolkata');
    const d = wallClockDate(Date.UTC(2026, 10, 25, 18, 30, 5, 250));
    expect([
      d.getFullYear(),
      d.getMonth(),
      d.getDate(),
      d.getHours(),
      d.getMinutes(),
      d.getSeconds(),
    ]).toEqual([2026, 10, 26, 0, 0, 5]);
    expect(d.getMilliseconds()).toBe(250);
    setDisplayTimeZone(before);
  });
});

describe('zoneOffsetMinutes', () => {
  it('says how far the display zone is ahead of UTC, for forms that read a wall clock', () => {
    const before = displayTimeZone();
    setDisplayTimeZone('Asia/Kolkata');
    expect(zoneOffsetMinutes(Date.UTC(2026, 10, 26, 12))).toBe(330);
    setDisplayTimeZone('America/New_York');
    expect(zoneOffsetMinutes(Date.UTC(2026, 0, 15, 12))).toBe(-300);
    expect(zoneOffsetMinutes(Date.UTC(2026, 6, 15, 12))).toBe(-240);
    setDisplayTimeZone(before);
  });
});

describe('a clock in a named zone', () => {
  it('reads each time at its own instant, so the hour after a DST change is right', () => {
    const berlin = clockIn('Europe/Berlin');
    // 29 March 2026: 01:30 UTC is 03:30 summer time; the day before at 01:30 UTC it was 02:30 winter time.
    expect(berlin(Date.UTC(2026, 2, 29, 1, 30))).toBe('03:30');
    expect(berlin(Date.UTC(2026, 2, 28, 1, 30))).toBe('02:30');
    expect(clockIn('Asia/Kolkata')(Date.UTC(2026, 2, 29, 1, 30))).toBe('07:00');
  });
});

describe('codes as words', () => {
  it('reads a snake_case code as words', () => {
    expect(words('compressor_repair')).toBe('compressor repair');
    expect(words('flagged_for_review')).toBe('flagged for review');
  });

  it('turns the codes inside a sentence into words and leaves ids, SKUs and words alone', () => {
    expect(plainWords('device answered ok: cleared sensor_drift')).toBe(
      'device answered ok: cleared sensor drift',
    );
    expect(plainWords('lacks the skill water_treatment; see tech-08, RF-SENSOR at loc-van-tech-08')).toBe(
      'lacks the skill water treatment; see tech-08, RF-SENSOR at loc-van-tech-08',
    );
    expect(plainWords('Nothing measurable changed after the visit')).toBe(
      'Nothing measurable changed after the visit',
    );
  });
});
