import type { KpiReportBody } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { preventionFromReport } from './prevention-figures.ts';

type Kpis = KpiReportBody['groups'][number]['kpis'];

function aMonth(key: string, prevented: number, happened: number) {
  const total = prevented + happened;
  return {
    key,
    label: key,
    kpis: {
      failuresPrevented: prevented,
      failuresHappened: happened,
      preventionRate: total ? prevented / total : null,
    } as Kpis,
  };
}

describe('preventionFromReport', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');

  it("reads this month's failures prevented and happened, and last month's beside them", () => {
    const figures = preventionFromReport(
      { groups: [aMonth('2026-09', 1, 1), aMonth('2026-10', 7, 3), aMonth('2026-11', 4, 1)] },
      now,
    );
    expect(figures.thisMonth).toEqual({
      month: '2026-11',
      label: 'November 2026',
      prevented: 4,
      happened: 1,
      preventionRate: 0.8,
    });
    expect(figures.lastMonth).toMatchObject({ month: '2026-10', prevented: 7, happened: 3 });
  });

  it('counts a month without records as none of either, not as missing', () => {
    const figures = preventionFromReport({ groups: [aMonth('2026-10', 2, 0)] }, now);
    expect(figures.thisMonth).toMatchObject({
      month: '2026-11',
      prevented: 0,
      happened: 0,
      preventionRate: null,
    });
    expect(figures.lastMonth).toMatchObject({ month: '2026-10', prevented: 2 });
  });

  it("takes the network's new month when it has begun there but not yet in UTC", () => {
    const lateOnTheLastDay = Date.parse('2026-11-30T20:00:00Z');
    const figures = preventionFromReport(
      { groups: [aMonth('2026-11', 5, 2), aMonth('2026-12', 1, 0)] },
      lateOnTheLastDay,
    );
    expect(figures.thisMonth.month).toBe('2026-12');
    expect(figures.lastMonth).toMatchObject({ month: '2026-11', prevented: 5 });
  });

  it('starts January with December of the year before', () => {
    const figures = preventionFromReport({ groups: [] }, Date.parse('2027-01-10T08:00:00Z'));
    expect(figures.lastMonth).toMatchObject({ month: '2026-12', label: 'December 2026' });
  });
});
