import { describe, expect, it } from 'vitest';
import { dispatchDayQuerySchema, planningDateSchema } from './dispatch-api.schema.ts';

describe('a planning date', () => {
  it('is a day that exists on the calendar, leap days included', () => {
    for (const date of ['2026-01-31', '2026-02-28', '2028-02-29', '2026-12-31'])
      expect(planningDateSchema.safeParse(date).success, date).toBe(true);
  });

  it('is refused when the month has no such day, instead of rolling over into the next month', () => {
    for (const date of ['2026-02-29', '2026-02-30', '2026-04-31', '2100-02-29']) {
      const parsed = planningDateSchema.safeParse(date);
      expect(parsed.success, date).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe('must be a real calendar date');
    }
  });

  it('is refused outside the years anyone plans work in, naming the range', () => {
    for (const date of ['0001-01-01', '1969-12-31', '2200-01-01']) {
      const parsed = dispatchDayQuerySchema.safeParse({ date });
      expect(parsed.success, date).toBe(false);
      expect(parsed.error?.issues[0]).toMatchObject({
        path: ['date'],
        message: 'must be between 1970-01-01 and 2199-12-31',
      });
    }
    expect(planningDateSchema.safeParse('1970-01-01').success).toBe(true);
  });

  it('names the form it expects when the text is not a date at all', () => {
    const parsed = dispatchDayQuerySchema.safeParse({ date: '27/11/2026' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['date'],
      message: 'must be a date as YYYY-MM-DD',
    });
  });
});
