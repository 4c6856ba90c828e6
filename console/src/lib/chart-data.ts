/**
 * Shaping already-aggregated series for uPlot: pure functions, shared by the server (which sends
 * compact arrays) and the charts (which draw them).
 */

/**
 * Inserts a null after any jump longer than `maxGapMs`, so a chart breaks its line where the device
 * sent nothing (offline, unplugged) instead of drawing a straight line across the silence. A jump no
 * longer than three times the spacing on either side of it is the series' own pace, not a silence: a
 * day's hourly history followed by the last hours' 5-minute points stays one line.
 */
export function withGaps(
  ts: readonly number[],
  columns: readonly (readonly number[])[],
  maxGapMs: number,
): { ts: number[]; columns: (number | null)[][] } {
  const outTs: number[] = [];
  const outCols: (number | null)[][] = columns.map(() => []);
  for (let i = 0; i < ts.length; i++) {
    const gap = i > 0 ? ts[i]! - ts[i - 1]! : 0;
    const before = i > 1 ? ts[i - 1]! - ts[i - 2]! : 0;
    const after = i + 1 < ts.length ? ts[i + 1]! - ts[i]! : 0;
    if (gap > maxGapMs && gap > 3 * Math.max(before, after)) {
      outTs.push(ts[i - 1]! + 1);
      for (const col of outCols) col.push(null);
    }
    outTs.push(ts[i]!);
    columns.forEach((col, c) => {
      outCols[c]!.push(col[i] ?? null);
    });
  }
  return { ts: outTs, columns: outCols };
}

/** The typical time between two points of a series; null for fewer than three points. */
export function medianInterval(ts: readonly number[]): number | null {
  if (ts.length < 3) return null;
  const deltas: number[] = [];
  for (let i = 1; i < ts.length; i++) deltas.push(ts[i]! - ts[i - 1]!);
  deltas.sort((a, b) => a - b);
  return deltas[Math.floor(deltas.length / 2)]!;
}

/**
 * The silence that breaks a line: three points' worth, where a point is the bucket or the device's own
 * reporting interval, whichever is longer (hourly history zoomed to 5-minute buckets is still one line);
 * for raw samples, ten typical intervals.
 */
export function gapThresholdMs(ts: readonly number[], stepMs: number | null): number {
  const typical = medianInterval(ts);
  if (stepMs === null) return typical === null ? Number.POSITIVE_INFINITY : typical * 10;
  return Math.max(stepMs, typical ?? 0) * 3;
}
