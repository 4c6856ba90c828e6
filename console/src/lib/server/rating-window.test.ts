import { FEEDBACK_WINDOW_DAYS } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { waitsForRating } from './rating-window.ts';

const day = 86_400_000;
const now = Date.UTC(2026, 10, 27, 12);
const closed = (daysAgo: number, rating: { csat: number; nps: number } | null = null) => ({
  status: 'closed',
  closedAt: now - daysAgo * day,
  rating,
});

describe('waitsForRating', () => {
  it('asks about a visit closed yesterday, and on the last day of the window', () => {
    expect(waitsForRating(closed(1), now)).toBe(true);
    expect(waitsForRating(closed(FEEDBACK_WINDOW_DAYS), now)).toBe(true);
  });

  it('stops asking once the window has passed, as the API stops taking ratings', () => {
    expect(waitsForRating(closed(FEEDBACK_WINDOW_DAYS + 1), now)).toBe(false);
    expect(waitsForRating(closed(280), now)).toBe(false);
  });

  it('never asks twice, nor about work not closed yet', () => {
    expect(waitsForRating(closed(1, { csat: 5, nps: 10 }), now)).toBe(false);
    expect(waitsForRating({ status: 'resolved', closedAt: null, rating: null }, now)).toBe(false);
  });
});
