import { describe, expect, it } from 'vitest';
import { formatDaysLeft } from './format.ts';

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
