import { describe, expect, it } from 'vitest';
import { type InsightFilter, insightQuery, monthToDate } from './insights.ts';

const filter = (months: number): InsightFilter => ({ months, model: '', region: '', partnerId: '' });
/** 28 Nov 2026, 10:00 in Chennai. */
const now = Date.parse('2026-11-28T10:00:00+05:30');

describe('insightQuery', () => {
  it('asks for whole calendar months, the current one to date, with no partial month before them', () => {
    expect(insightQuery(filter(3), now, 'Asia/Kolkata')).toMatchObject({
      from: Date.parse('2026-09-01T00:00:00+05:30'),
      to: now,
    });
    expect(insightQuery(filter(12), now, 'Asia/Kolkata').from).toBe(Date.parse('2025-12-01T00:00:00+05:30'));
  });

  it("starts at the platform zone's midnight on the first, across a year and a DST change", () => {
    const march = Date.parse('2026-03-02T12:00:00-05:00');
    expect(insightQuery(filter(6), march, 'America/New_York').from).toBe(
      Date.parse('2025-10-01T00:00:00-04:00'),
    );
  });

  it("counts the zone's month, not UTC's: early on the 1st in Chennai is already the new month", () => {
    const first = Date.parse('2026-12-01T01:00:00+05:30');
    expect(insightQuery(filter(3), first, 'Asia/Kolkata').from).toBe(Date.parse('2026-10-01T00:00:00+05:30'));
  });
});

describe('monthToDate', () => {
  it('marks the month the period stops in before its end, and no month that is over', () => {
    expect(monthToDate('2026-11', now, 'Asia/Kolkata')).toBe(true);
    expect(monthToDate('2026-10', now, 'Asia/Kolkata')).toBe(false);
    expect(monthToDate('2026-11', Date.parse('2026-12-01T00:00:00+05:30'), 'Asia/Kolkata')).toBe(false);
  });
});
