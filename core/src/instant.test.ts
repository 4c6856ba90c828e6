import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { instantBodySchema, instantParamSchema, parseInstant } from './instant.ts';

const ms = (text: string) => {
  const parsed = parseInstant(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.ms;
};
const problem = (text: string) => {
  const parsed = parseInstant(text);
  return parsed.ok ? `accepted as ${new Date(parsed.ms).toISOString()}` : parsed.problem;
};

describe('parseInstant', () => {
  it('takes epoch milliseconds as digits', () => {
    expect(ms('1764130000000')).toBe(1764130000000);
    expect(ms('0')).toBe(0);
    // Digits are always milliseconds: a year alone is not one of the forms.
    expect(ms('2026')).toBe(2026);
  });

  it('takes ISO 8601 date-times with a zone, to the millisecond', () => {
    expect(ms('2025-11-26T04:26:40Z')).toBe(Date.UTC(2025, 10, 26, 4, 26, 40));
    expect(ms('2025-11-26T04:26Z')).toBe(Date.UTC(2025, 10, 26, 4, 26));
    expect(ms('2025-11-26T04:26:40.25Z')).toBe(Date.UTC(2025, 10, 26, 4, 26, 40, 250));
    expect(ms('2025-11-26T04:26:40.123456789Z')).toBe(Date.UTC(2025, 10, 26, 4, 26, 40, 123));
    expect(ms('2025-11-26T09:56:40+05:30')).toBe(Date.UTC(2025, 10, 26, 4, 26, 40));
    expect(ms('2025-11-25T23:26:40-05:00')).toBe(Date.UTC(2025, 10, 26, 4, 26, 40));
    expect(ms('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });

  it('takes epoch milliseconds up to the last instant of the year 9999, and says so past it', () => {
    expect(ms('253402300799999')).toBe(Date.UTC(9999, 11, 31, 23, 59, 59, 999));
    expect(problem('253402300800000')).toBe(
      'must not be after 253402300799999 (9999-12-31T23:59:59.999Z), got 253402300800000',
    );
    expect(problem('9999999999999999')).toMatch(/^must be epoch milliseconds or ISO 8601/);
  });

  it('reads a date alone as midnight UTC, whatever the server zone', () => {
    expect(ms('2026-11-27')).toBe(Date.UTC(2026, 10, 27));
  });

  // Regressions: each of these went through Date.parse and came out as some other instant.
  it('refuses a negative number instead of reading it as the year 2001', () => {
    expect(problem('-1')).toMatch(/^must be epoch milliseconds or ISO 8601 with a zone/);
  });

  it('refuses loose text that Date.parse reads as a date', () => {
    for (const text of [
      'Nov 1',
      'Nov%201',
      'yesterday',
      '2026-11',
      '20261127T0830Z',
      'Thu, 01 Jan 2026 00:00:00 GMT',
      '',
    ])
      expect(problem(text), text).toMatch(/^must be epoch milliseconds or ISO 8601/);
  });

  it('refuses a date that does not exist instead of rolling it over', () => {
    expect(problem('2026-02-30T00:00:00Z')).toBe(
      'must be a real date and time (there is no 2026-02-30T00:00:00Z)',
    );
    expect(problem('2026-02-29')).toMatch(/^must be a real date/);
    expect(problem('2026-13-01')).toMatch(/^must be a real date/);
    expect(problem('2026-01-01T24:00:00Z')).toMatch(/^must be a real date/);
    expect(problem('2026-01-01T12:60:00Z')).toMatch(/^must be a real date/);
  });

  it('refuses a time without a zone instead of reading it in the server zone', () => {
    expect(problem('2026-11-27T08:30:00')).toMatch(/^must be epoch milliseconds or ISO 8601 with a zone/);
    expect(problem('2026-11-27T08:30:00+0530')).toMatch(/^must be epoch milliseconds/);
    expect(problem('2026-11-27T08:30:00+24:00')).toMatch(/^must have a zone offset between/);
  });

  it('explains a "+" that an unencoded query string turned into a space', () => {
    expect(problem('2026-11-27T08:30:00 05:30')).toMatch(/write it as %2B/);
  });

  it('refuses instants before 1970 and numbers too long to be milliseconds', () => {
    expect(problem('1969-12-31T23:59:59Z')).toMatch(/^must not be before 1970/);
    expect(problem('1234567890123456')).toMatch(/^must be epoch milliseconds/);
  });
});

describe('instantParamSchema', () => {
  it('gives epoch milliseconds, and an issue at the parameter naming the accepted forms', () => {
    const query = z.strictObject({ from: instantParamSchema });
    expect(query.parse({ from: '2026-11-27' })).toEqual({ from: Date.UTC(2026, 10, 27) });
    const result = query.safeParse({ from: 'Nov 1' });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      [
        'from',
        'must be epoch milliseconds or ISO 8601 with a zone: 2026-11-27 (midnight UTC), 2026-11-27T08:30:00Z or 2026-11-27T08:30:00+05:30',
      ],
    ]);
  });
});

describe('instantBodySchema', () => {
  const read = (value: unknown) => {
    const parsed = instantBodySchema.safeParse(value);
    return parsed.success ? parsed.data : parsed.error.issues.map((i) => i.message).join('; ');
  };

  it('takes epoch milliseconds as a number, and the forms a person types as a string', () => {
    expect(read(1_796_013_000_000)).toBe(1_796_013_000_000);
    expect(read('2026-11-30T10:00:00+05:30')).toBe(1_796_013_000_000);
    expect(read('2026-11-30T04:30Z')).toBe(1_796_013_000_000);
    expect(read('1796013000000')).toBe(1_796_013_000_000);
  });

  it('says what is wrong with a string, not that it is not a number', () => {
    expect(read('2026-02-30T10:00Z')).toBe('must be a real date and time (there is no 2026-02-30T10:00Z)');
    expect(read('2026-11-30T10:00')).toMatch(/^must be epoch milliseconds or ISO 8601 with a zone/);
  });

  it('refuses instants no date can show, and hints at URLs only in URLs', () => {
    expect(read(9_000_000_000_000_000)).toMatch(/^must not be after the year 9999/);
    expect(read('9000000000000000')).toMatch(/^must be epoch milliseconds or ISO 8601/);
    expect(read('2026-11-30T10:00:00 05:30')).toMatch(/^must be epoch milliseconds or ISO 8601 with a zone/);
    expect(problem('2026-11-30T10:00:00 05:30')).toMatch(/%2B/);
  });

  it('refuses fractions, negatives and other types', () => {
    expect(read(1.5)).toMatch(/^must be epoch milliseconds or ISO 8601/);
    expect(read(-1)).toMatch(/^must not be before 1970; must be epoch milliseconds or ISO 8601/);
    expect(read(true)).toMatch(/^must be epoch milliseconds or ISO 8601/);
    expect(read(null)).toMatch(/^must be epoch milliseconds or ISO 8601/);
  });
});
