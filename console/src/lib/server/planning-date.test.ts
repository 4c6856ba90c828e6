import { describe, expect, it } from 'vitest';
import { isPlanningDate } from './planning-date.ts';

describe('isPlanningDate', () => {
  it('takes a day on the calendar, leap days included', () => {
    for (const date of ['2026-01-31', '2026-02-28', '2028-02-29', '2026-12-31'])
      expect(isPlanningDate(date), date).toBe(true);
  });

  it('refuses a day the calendar does not have, as the dispatch API does (a 500 on /dispatch before)', () => {
    for (const date of ['2026-02-30', '2026-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00'])
      expect(isPlanningDate(date), date).toBe(false);
  });

  it('refuses no date, a malformed one, and a year outside the planning years', () => {
    for (const date of [
      null,
      '',
      '2026-1-5',
      '26-01-05',
      '2026-01-05T00:00',
      'tomorrow',
      '1969-12-31',
      '2200-01-01',
    ])
      expect(isPlanningDate(date), String(date)).toBe(false);
  });
});
