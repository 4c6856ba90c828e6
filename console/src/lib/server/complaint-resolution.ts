/** The period the desk's resolution figure covers: complaints closed in it. */
export const resolutionDays = 90;

/**
 * The desk's mean complaint resolution time: over the complaints closed in the last `days`, from the
 * feedback to its closing. (The KPIs count complaints about jobs opened in their period, so a
 * complaint closed today about a job of last quarter would not move theirs.)
 */
export function resolutionFigure(
  closed: readonly { resolvedAt: number | null; tookHours: number | null }[],
  now: number,
  days = resolutionDays,
): { meanHours: number | null; complaints: number } {
  const since = now - days * 86_400_000;
  const hours = closed.flatMap((c) =>
    c.resolvedAt !== null && c.resolvedAt >= since && c.tookHours !== null ? [c.tookHours] : [],
  );
  return {
    meanHours: hours.length === 0 ? null : hours.reduce((a, b) => a + b, 0) / hours.length,
    complaints: hours.length,
  };
}
