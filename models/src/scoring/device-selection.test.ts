import { describe, expect, it } from 'vitest';
import { selectDevicesToScore } from './device-selection.ts';

const now = Date.UTC(2026, 10, 26, 12, 0);
const minute = 60_000;
const hour = 60 * minute;

describe('selectDevicesToScore', () => {
  const select = (latest: [string, number][], scored: [string, number][] = [], freshnessMs = 24 * hour) =>
    selectDevicesToScore({
      latest: latest.map(([deviceId, ts]) => ({ deviceId, ts })),
      lastScoredAt: new Map(scored),
      now,
      freshnessMs,
    });

  it('scores a device that has never been scored when its data is fresh', () => {
    expect(select([['ac-1', now - minute]])).toEqual({ deviceIds: ['ac-1'], stale: 0, unchanged: 0 });
  });

  it('scores a device again once a sample newer than its last score has arrived', () => {
    expect(select([['ac-1', now - minute]], [['ac-1', now - 5 * minute]]).deviceIds).toEqual(['ac-1']);
  });

  it('does not score a device again when nothing arrived since its last score', () => {
    const selection = select(
      [
        ['ac-1', now - 6 * minute],
        ['ac-2', now - 5 * minute],
      ],
      [
        ['ac-1', now - 5 * minute],
        ['ac-2', now - 5 * minute],
      ],
    );
    expect(selection).toEqual({ deviceIds: [], stale: 0, unchanged: 2 });
  });

  it('leaves out devices whose newest sample is older than the freshness window', () => {
    const selection = select(
      [
        ['ac-old', now - 25 * hour],
        ['ac-edge', now - 24 * hour],
        ['ac-new', now - hour],
      ],
      [],
      24 * hour,
    );
    expect(selection).toEqual({ deviceIds: ['ac-edge', 'ac-new'], stale: 1, unchanged: 0 });
  });

  it('keeps the order the store listed the devices in', () => {
    const ids = ['wm-3', 'ac-1', 'rf-2'];
    expect(select(ids.map((id) => [id, now])).deviceIds).toEqual(ids);
  });

  it('selects nothing from an empty store', () => {
    expect(select([])).toEqual({ deviceIds: [], stale: 0, unchanged: 0 });
  });
});
