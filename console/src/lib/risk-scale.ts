/**
 * One colour scale for failure probability, used by every chip, bar and chart in the console, so
 * that "orange" means the same thing on the overview, the risk list and a device's history.
 */

export const riskLevels = ['low', 'watch', 'high', 'critical'] as const;
export type RiskLevel = (typeof riskLevels)[number];

/** Lower bounds of each level, as probabilities of failure within the model's horizon. */
export const riskThresholds: Readonly<Record<RiskLevel, number>> = {
  low: 0,
  watch: 0.2,
  high: 0.5,
  critical: 0.8,
};

/** A device counts as "at risk" from this probability on (the `high` level). */
export const atRiskProbability = riskThresholds.high;

export function riskLevel(pFail: number): RiskLevel {
  if (pFail >= riskThresholds.critical) return 'critical';
  if (pFail >= riskThresholds.high) return 'high';
  if (pFail >= riskThresholds.watch) return 'watch';
  return 'low';
}

export const riskLevelLabels: Readonly<Record<RiskLevel, string>> = {
  low: 'Low',
  watch: 'Watch',
  high: 'High',
  critical: 'Critical',
};

/**
 * The same colours as the `--risk-*` custom properties in app.css, for canvas drawing (uPlot cannot
 * read CSS variables). Chosen to stay apart for the common colour-vision deficiencies and on white.
 */
export const riskColours: Readonly<Record<RiskLevel, string>> = {
  low: '#3b8f6b',
  watch: '#c99a1c',
  high: '#d9661f',
  critical: '#c2323b',
};

/** Below this a score is low and its drivers explain noise, so pages do not show them. */
export const explainFromProbability = riskThresholds.watch;
