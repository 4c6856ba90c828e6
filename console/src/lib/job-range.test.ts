import { describe, expect, it } from 'vitest';
import { trendRange } from './job-range.ts';

const now = Date.UTC(2026, 10, 28);
const dayMs = 86_400_000;

describe('trendRange', () => {
  it('opens on a week when nothing asks for longer', () => {
    expect(trendRange(null, now)).toBe('7d');
    expect(trendRange({ scoredAt: now, drivers: [{ overDays: 2 }] }, now)).toBe('7d');
  });

  it('looks back far enough to hold the longest driver trend, from when the risk was scored', () => {
    expect(trendRange({ scoredAt: now, drivers: [{ overDays: 2 }, { overDays: 13 }] }, now)).toBe('30d');
    expect(trendRange({ scoredAt: now - 25 * dayMs, drivers: [{ overDays: 9 }] }, now)).toBe('90d');
  });
});
