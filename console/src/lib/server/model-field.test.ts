import { describe, expect, it } from 'vitest';
import { setDisplayTimeZone } from '../format.ts';
import { fieldPeriods } from './model-field.ts';

const DAY_MS = 86_400_000;
const now = Date.UTC(2026, 10, 28, 4, 0);
const threeMonths = now - 91 * DAY_MS;

describe('fieldPeriods', () => {
  setDisplayTimeZone('Asia/Kolkata');

  it('labels three months of outcomes as all versions, and says they came before a version trained since', () => {
    const periods = fieldPeriods(
      { version: 'v1', createdAt: new Date(now - 4 * 60_000).toISOString() },
      threeMonths,
    );
    expect(periods.recentHeading).toBe('Last three months in the field, all versions');
    expect(periods.recentNote).toBe(
      'Includes predictions made before v1 existed (trained 28 Nov 2026), by earlier versions or imported history.',
    );
    expect(periods).toMatchObject({ sinceHeading: 'Since v1 was trained', sinceFrom: now - 4 * 60_000 });
  });

  it('adds no note when the active version was trained before the period began', () => {
    const periods = fieldPeriods(
      { version: 'v3', createdAt: new Date(threeMonths - DAY_MS).toISOString() },
      threeMonths,
    );
    expect(periods.recentNote).toBeNull();
    expect(periods.sinceHeading).toBe('Since v3 was trained');
  });

  it('has no record of its own without an active version', () => {
    expect(fieldPeriods(null, threeMonths)).toMatchObject({
      sinceFrom: null,
      sinceHeading: null,
      recentNote: null,
    });
  });
});
