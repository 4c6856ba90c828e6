import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../features/feature-spec.ts';
import { addCounts, alertEpisodes, emptyCounts, judgeEpisodes, summarise } from './episodes.ts';

const t0 = Date.UTC(2026, 0, 1);
const day = (d: number) => t0 + d * DAY_MS;
/** Scores every 12 hours from day 0. */
function series(scores: number[]) {
  return { times: scores.map((_, i) => t0 + i * 12 * HOUR_MS), scores };
}
const window = { judgeUntil: day(100), countFrom: day(0), countUntil: day(120) };

describe('alertEpisodes', () => {
  it('merges alerts one quiet scoring apart and splits on a longer silence', () => {
    const { times, scores } = series([0, 1, 0, 1, 1, 0, 0, 0, 1]);
    expect(alertEpisodes(times, scores, 0.5, [])).toEqual([
      { start: t0 + 12 * HOUR_MS, end: t0 + 48 * HOUR_MS },
      { start: t0 + 96 * HOUR_MS, end: t0 + 96 * HOUR_MS },
    ]);
  });

  it('never lets one episode span a failure and its repair', () => {
    const { times, scores } = series([1, 1, 1]);
    const down = [{ from: t0 + 13 * HOUR_MS, to: t0 + 20 * HOUR_MS }];
    expect(alertEpisodes(times, scores, 0.5, down)).toHaveLength(2);
  });
});

describe('judgeEpisodes', () => {
  it('counts an episode true when the failure follows its first alert within the horizon', () => {
    const counts = judgeEpisodes([{ start: day(10), end: day(20) }], [day(20)], 14, window);
    expect(counts).toEqual({ alertEpisodes: 1, trueEpisodes: 1, failures: 1, detected: 1, leadDays: [10] });
  });

  it('counts an alarm raised too early as false, and the failure it preceded as missed', () => {
    const counts = judgeEpisodes([{ start: day(10), end: day(30) }], [day(30)], 14, window);
    expect(counts).toEqual({ alertEpisodes: 1, trueEpisodes: 0, failures: 1, detected: 0, leadDays: [] });
  });

  it('counts an alarm after the failure as false', () => {
    const counts = judgeEpisodes([{ start: day(31), end: day(32) }], [day(30)], 14, window);
    expect(counts.trueEpisodes).toBe(0);
    expect(counts.detected).toBe(0);
  });

  it('leaves out episodes that cannot be judged yet and failures the scorer could not see coming', () => {
    const w = { judgeUntil: day(50), countFrom: day(14), countUntil: day(60) };
    const counts = judgeEpisodes([{ start: day(55), end: day(56) }], [day(10), day(58)], 14, w);
    expect(counts.alertEpisodes).toBe(0);
    expect(counts.failures).toBe(1);
    expect(counts.detected).toBe(1);
    expect(counts.leadDays).toEqual([3]);
  });

  it('summarises precision, recall and median lead over devices', () => {
    const total = emptyCounts();
    addCounts(total, judgeEpisodes([{ start: day(10), end: day(11) }], [day(16)], 14, window));
    addCounts(
      total,
      judgeEpisodes(
        [
          { start: day(10), end: day(11) },
          { start: day(40), end: day(41) },
        ],
        [day(18)],
        14,
        window,
      ),
    );
    addCounts(total, judgeEpisodes([], [day(70)], 14, window));
    const figures = summarise(total);
    expect(figures.precision).toBeCloseTo(2 / 3, 12);
    expect(figures.recall).toBeCloseTo(2 / 3, 12);
    expect(figures.medianLeadDays).toBe(7);
    expect(summarise(emptyCounts()).precision).toBeNull();
  });
});
