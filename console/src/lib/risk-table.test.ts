import { describe, expect, it } from 'vitest';
import { filterRisks, type RiskTableRow, readRiskFilter, sortHref, sortRisks } from './risk-table.ts';

const row = (deviceId: string, pFail: number, daysLeft: number | null, model = 'split-ac'): RiskTableRow => ({
  deviceId,
  model,
  modelLabel: model,
  component: 'compressor',
  componentLabel: 'Compressor',
  failureModeLabel: 'Compressor wear',
  pFail,
  daysLeft,
});

describe('readRiskFilter', () => {
  it('defaults to the at-risk components, most likely first', () => {
    const f = readRiskFilter(new URLSearchParams());
    expect(f).toMatchObject({ min: 0.5, sort: 'p', dir: 'desc', page: 1, model: null });
  });

  it('ignores values it does not offer', () => {
    const f = readRiskFilter(new URLSearchParams('min=0.33&sort=drop&dir=up&page=-2'));
    expect(f).toMatchObject({ min: 0.5, sort: 'p', dir: 'desc', page: 1 });
  });
});

describe('sortRisks', () => {
  it('puts the soonest failures first and "none expected" last, whichever the direction', () => {
    const rows = [row('a', 0.6, null), row('b', 0.7, 9), row('c', 0.9, 2)];
    expect(sortRisks([...rows], 'days', 'asc').map((r) => r.deviceId)).toEqual(['c', 'b', 'a']);
    expect(sortRisks([...rows], 'days', 'desc').map((r) => r.deviceId)).toEqual(['b', 'c', 'a']);
  });
});

describe('filterRisks', () => {
  it('filters by probability, model and device id', () => {
    const rows = [
      row('sim-ac-1', 0.6, 3),
      row('sim-rf-2', 0.9, 1, 'refrigerator'),
      row('sim-ac-3', 0.1, null),
    ];
    const f = readRiskFilter(new URLSearchParams('q=AC'));
    expect(filterRisks(rows, f).map((r) => r.deviceId)).toEqual(['sim-ac-1']);
    expect(filterRisks(rows, readRiskFilter(new URLSearchParams('min=0&model=refrigerator'))).length).toBe(1);
  });
});

describe('sortHref', () => {
  it('flips the direction of the sorted column and starts another at its natural order', () => {
    const params = new URLSearchParams('sort=p&dir=desc&page=3');
    const f = readRiskFilter(params);
    expect(sortHref(params, f, 'p')).toBe('?sort=p&dir=asc');
    expect(sortHref(params, f, 'days')).toBe('?sort=days&dir=asc');
  });
});
