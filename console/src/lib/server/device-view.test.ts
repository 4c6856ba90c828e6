import { describe, expect, it } from 'vitest';
import { riskHistoryNote } from './device-view.ts';

describe('riskHistoryNote', () => {
  const min = 60_000;
  const now = Date.UTC(2026, 10, 26, 12, 0);
  const week = { from: now - 7 * 24 * 60 * min, to: now, stepMs: 30 * min };

  it('says when a fresh device was scored, so a one-point chart is not simply blank', () => {
    expect(riskHistoryNote([now - 12 * min, now - 12 * min + 200], week, now)).toBe(
      'Scored once so far, 12 min ago: a point follows each time the models score it again.',
    );
  });

  it('says how often points follow once a history has begun, never finer than the chart draws', () => {
    const every5 = [now - 60 * min, now - 55 * min, now - 50 * min];
    expect(riskHistoryNote(every5, week, now)).toBe('First scored 1 h ago; a point every 30 min from here.');
    const day = { from: now - 24 * 60 * min, to: now, stepMs: 5 * min };
    expect(riskHistoryNote(every5, day, now)).toBe('First scored 1 h ago; a point every 5 min from here.');
  });

  it('says since when a longer history began inside the window, not "from here"', () => {
    const threeHourly = Array.from({ length: 112 }, (_, i) => now - 14 * 24 * 60 * min + i * 180 * min);
    const month = { from: now - 30 * 24 * 60 * min, to: now, stepMs: 2 * 60 * min };
    expect(riskHistoryNote(threeHourly, month, now)).toBe('First scored 14 d ago; a point every 3 h since.');
  });

  it('says nothing when the chart speaks for itself: no scores, a full history, a past window', () => {
    expect(riskHistoryNote([], week, now)).toBeNull();
    const hourly = Array.from({ length: 24 * 7 }, (_, i) => week.from + i * 60 * min);
    expect(riskHistoryNote(hourly, week, now)).toBeNull();
    const past = { from: now - 10 * 24 * 60 * min, to: now - 3 * 24 * 60 * min, stepMs: 30 * min };
    expect(riskHistoryNote([past.to - 60 * min], past, now)).toBeNull();
  });
});
