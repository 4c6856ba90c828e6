import { DAY_MS } from '../features/feature-spec.ts';
import type { DownPeriod } from './labels.ts';

/**
 * How alerts are judged, the same for the model and the rule baseline.
 *
 * - An *alert* is a scoring time at which a (device, failure mode) score reaches its threshold.
 *   Times when the device is down (failed, awaiting repair) are not scored.
 * - An *alert episode* is a run of alerts of one (device, failure mode): alerts less than
 *   `mergeGapMs` apart belong to one episode (one quiet scoring time does not make a new alarm), and
 *   an episode never spans a failure and its repair.
 * - An episode is *true* when a failure of that mode on that device follows its first alert within
 *   the horizon: firstAlert < failedAt ≤ firstAlert + H. Episodes whose first alert lies later than
 *   `judgeUntil` (the data's end minus H) cannot be judged and are left out.
 * - **Precision** = true episodes / judged episodes: of the alarms a planner acts on, the share
 *   that a real failure of that component followed within H days.
 * - **Recall** = failures with a true episode / failures counted: the share of failures that were
 *   announced (within H days) before they happened. Failures are counted when the scorer could see
 *   a whole horizon before them (failedAt ≥ countFrom) and up to the data's end.
 * - **Lead time** of a detected failure = failedAt − first alert of its earliest true episode;
 *   the median over detected failures is reported.
 */
export interface AlertEpisode {
  start: number;
  end: number;
}

export interface JudgeWindow {
  judgeUntil: number;
  countFrom: number;
  countUntil: number;
}

export interface DetectionCounts {
  alertEpisodes: number;
  trueEpisodes: number;
  failures: number;
  detected: number;
  leadDays: number[];
}

export interface DetectionFigures {
  alertEpisodes: number;
  trueEpisodes: number;
  failures: number;
  detected: number;
  /** null when there was nothing to divide by (no alert episodes / no failures). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  medianLeadDays: number | null;
  meanLeadDays: number | null;
}

/** Default: alerts one day or less apart are one episode (two quiet 12-hourly scorings split it). */
export const defaultMergeGapMs = DAY_MS;

/** The alert episodes of one score series at `threshold`; `times` ascending, down times left out. */
export function alertEpisodes(
  times: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold: number,
  down: readonly DownPeriod[],
  mergeGapMs = defaultMergeGapMs,
): AlertEpisode[] {
  const episodes: AlertEpisode[] = [];
  let current: AlertEpisode | null = null;
  for (let i = 0; i < times.length; i++) {
    const s = scores[i]!;
    if (!(s >= threshold)) continue;
    const t = times[i]!;
    const end: number = current ? current.end : Number.NaN;
    if (current && t - end <= mergeGapMs && !down.some((p) => p.from > end && p.from <= t)) {
      current.end = t;
    } else {
      current = { start: t, end: t };
      episodes.push(current);
    }
  }
  return episodes;
}

/** Judges one (device, failure mode): its episodes against the failures of that mode. */
export function judgeEpisodes(
  episodes: readonly AlertEpisode[],
  failedAt: readonly number[],
  horizonDays: number,
  window: JudgeWindow,
): DetectionCounts {
  const horizonMs = horizonDays * DAY_MS;
  const announces = (e: AlertEpisode, f: number) => e.start < f && f <= e.start + horizonMs;
  const judged = episodes.filter((e) => e.start <= window.judgeUntil);
  const counts: DetectionCounts = {
    alertEpisodes: judged.length,
    trueEpisodes: judged.filter((e) => failedAt.some((f) => announces(e, f))).length,
    failures: 0,
    detected: 0,
    leadDays: [],
  };
  for (const f of failedAt) {
    if (f < window.countFrom || f > window.countUntil) continue;
    counts.failures++;
    const first = episodes.find((e) => announces(e, f));
    if (first) {
      counts.detected++;
      counts.leadDays.push((f - first.start) / DAY_MS);
    }
  }
  return counts;
}

export function emptyCounts(): DetectionCounts {
  return { alertEpisodes: 0, trueEpisodes: 0, failures: 0, detected: 0, leadDays: [] };
}

export function addCounts(into: DetectionCounts, more: DetectionCounts): DetectionCounts {
  into.alertEpisodes += more.alertEpisodes;
  into.trueEpisodes += more.trueEpisodes;
  into.failures += more.failures;
  into.detected += more.detected;
  for (const d of more.leadDays) into.leadDays.push(d);
  return into;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarise(counts: DetectionCounts): DetectionFigures {
  const precision = counts.alertEpisodes > 0 ? counts.trueEpisodes / counts.alertEpisodes : null;
  const recall = counts.failures > 0 ? counts.detected / counts.failures : null;
  const f1 =
    precision !== null && recall !== null
      ? precision + recall > 0
        ? (2 * precision * recall) / (precision + recall)
        : 0
      : null;
  return {
    alertEpisodes: counts.alertEpisodes,
    trueEpisodes: counts.trueEpisodes,
    failures: counts.failures,
    detected: counts.detected,
    precision,
    recall,
    f1,
    medianLeadDays: median(counts.leadDays),
    meanLeadDays:
      counts.leadDays.length > 0 ? counts.leadDays.reduce((a, b) => a + b, 0) / counts.leadDays.length : null,
  };
}
