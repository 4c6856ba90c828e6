import {
  addCounts,
  alertEpisodes,
  type DetectionCounts,
  type DetectionFigures,
  defaultMergeGapMs,
  emptyCounts,
  type JudgeWindow,
  judgeEpisodes,
  summarise,
} from './episodes.ts';
import type { DownPeriod } from './labels.ts';

/** One (device, failure mode)'s scores over time, with what is needed to judge its alerts. */
export interface TargetSeries {
  times: ArrayLike<number>;
  scores: ArrayLike<number>;
  down: readonly DownPeriod[];
  failedAt: readonly number[];
  judge: JudgeWindow;
}

/** Detection counts over many series when alerting at `threshold`. */
export function countsAt(
  series: readonly TargetSeries[],
  threshold: number,
  horizonDays: number,
  mergeGapMs = defaultMergeGapMs,
): DetectionCounts {
  const total = emptyCounts();
  for (const s of series) {
    const episodes = alertEpisodes(s.times, s.scores, threshold, s.down, mergeGapMs);
    addCounts(total, judgeEpisodes(episodes, s.failedAt, horizonDays, s.judge));
  }
  return total;
}

/** Candidate thresholds: quantiles of the scores from the median up to the far tail. */
export function candidateThresholds(series: readonly TargetSeries[], count = 60): number[] {
  const values: number[] = [];
  for (const s of series) {
    for (let i = 0; i < s.scores.length; i++) {
      const v = s.scores[i]!;
      if (Number.isFinite(v)) values.push(v);
    }
  }
  if (values.length === 0) return [];
  values.sort((a, b) => a - b);
  const out = new Set<number>();
  for (let i = 0; i < count; i++) {
    const q = 1 - 10 ** -(0.3 + (3.7 * i) / (count - 1));
    out.add(values[Math.min(values.length - 1, Math.floor(q * values.length))]!);
  }
  return [...out].sort((a, b) => a - b);
}

export interface ChosenThreshold {
  threshold: number;
  figures: DetectionFigures;
}

/**
 * The operating threshold on these series (the validation fleet): of the thresholds whose F1 (of
 * episode precision and failure recall) is within `f1Tolerance` of the best, the lowest, which
 * alerts earliest: planners gain lead time for a negligible loss of accuracy.
 */
export function chooseThreshold(
  series: readonly TargetSeries[],
  candidates: readonly number[],
  horizonDays: number,
  options: { mergeGapMs?: number; f1Tolerance?: number } = {},
): ChosenThreshold | null {
  const scored = candidates.map((threshold) => ({
    threshold,
    figures: summarise(countsAt(series, threshold, horizonDays, options.mergeGapMs ?? defaultMergeGapMs)),
  }));
  if (scored.length === 0) return null;
  const bestF1 = Math.max(...scored.map((s) => s.figures.f1 ?? 0));
  const tolerance = options.f1Tolerance ?? 0.02;
  return scored
    .filter((s) => (s.figures.f1 ?? 0) >= bestF1 - tolerance)
    .reduce((lowest, s) => (s.threshold < lowest.threshold ? s : lowest));
}
