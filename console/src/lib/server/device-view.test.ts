import { describe, expect, it } from 'vitest';
import { riskHistoryNote } from './device-view.ts';

describe('riskHistoryNote', () => {
  const min = 60_000;
  const now = Date.UTC(2026, 10, 26, 12, 0);
  const week = { from: now - 7 * 24 * 60 * min, to: now, stepMs: 30 * min };
  /**
   * A component as the risk trend reports it: scored `scores` times from `first`, its points the
   * chart's buckets that hold a score.
   */
  const scored = (first: number, scores: number, points: number[]) => ({
    firstScoredAt: first,
    scores,
    points: points.map((ts) => ({ ts, pFail: 0.1, daysLeft: null })),
  });

  it('says when a fresh device was scored, so a one-point chart is not simply blank', () => {
    const bucket = now - 30 * min;
    const oneRun = [scored(now - 12 * min, 1, [bucket]), scored(now - 12 * min + 200, 1, [bucket])];
    expect(riskHistoryNote(oneRun, week, now)).toBe(
      'Scored once so far, 12 min ago: a point follows each time the models score it again.',
    );
  });

  it('says how often points follow once a history has begun, never finer than the chart draws', () => {
    // Every 5 minutes for an hour: two half-hour points of the week's chart, twelve of the day's.
    const week5 = [scored(now - 60 * min, 12, [now - 60 * min, now - 30 * min])];
    expect(riskHistoryNote(week5, week, now)).toBe('First scored 1 h ago; a point every 30 min from here.');
    const day = { from: now - 24 * 60 * min, to: now, stepMs: 5 * min };
    const day5 = [
      scored(
        now - 60 * min,
        11,
        Array.from({ length: 11 }, (_, i) => now - 60 * min + i * 5 * min),
      ),
    ];
    expect(riskHistoryNote(day5, day, now)).toBe('First scored 1 h ago; a point every 5 min from here.');
  });

  it('says since when a longer history began inside the window, and how far apart its points are', () => {
    const start = now - 14 * 24 * 60 * min;
    const threeHourly = Array.from({ length: 112 }, (_, i) => start + i * 180 * min);
    const month = { from: now - 30 * 24 * 60 * min, to: now, stepMs: 60 * min };
    expect(riskHistoryNote([scored(start, 112, threeHourly)], month, now)).toBe(
      'First scored 14 d ago; a point every 3 h since.',
    );
    // Daily scores of the past, then a day of live ones every 5 minutes: the year's chart has a point a day.
    const year = { from: now - 365 * 24 * 60 * min, to: now, stepMs: 24 * 60 * min };
    const days = Array.from({ length: 90 }, (_, i) => now - (90 - i) * 24 * 60 * min);
    expect(riskHistoryNote([scored(days[0]!, 90 + 288, days)], year, now)).toBe(
      'First scored 90 d ago; a point every 1 d since.',
    );
  });

  it('says nothing when the chart speaks for itself: no scores, a full history, a past window', () => {
    expect(riskHistoryNote([], week, now)).toBeNull();
    const hourly = Array.from({ length: 24 * 7 }, (_, i) => week.from + i * 60 * min);
    expect(riskHistoryNote([scored(week.from, hourly.length, hourly)], week, now)).toBeNull();
    // A device scored for 90 days, seen over its last day: a few points in the window, a long past.
    const day = { from: now - 24 * 60 * min, to: now, stepMs: 5 * min };
    expect(riskHistoryNote([scored(now - 90 * 24 * 60 * min, 1, [now - 5 * min])], day, now)).toBeNull();
    const past = { from: now - 10 * 24 * 60 * min, to: now - 3 * 24 * 60 * min, stepMs: 30 * min };
    expect(riskHistoryNote([scored(past.to - 60 * min, 1, [past.to - 60 * min])], past, now)).toBeNull();
  });
});
