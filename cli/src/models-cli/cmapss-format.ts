import {
  type CmapssBenchmarkResult,
  type CmapssTestFigures,
  describeArchitecture,
  PUBLISHED_FD001_RMSE,
  type RulConfig,
  type RulValidationReport,
} from '@aftercare/models';

const round = (v: number, digits: number) => Number(v.toFixed(digits));

export function describeConfig(c: RulConfig): string {
  const parts = [
    `${c.members} × ${describeArchitecture(c.architecture)}`,
    `window ${c.stride > 1 ? `${c.windowLength} steps × ${c.stride} cycles` : `${c.windowLength}`}${c.minCycles < c.windowLength * c.stride ? ` (padded from cycle ${c.minCycles})` : ''}`,
    c.cycleScale !== null ? `cycles run as an input (÷ ${c.cycleScale}, at most 1)` : null,
    c.smoothing < 1 ? `smoothing α ${c.smoothing}` : null,
    `batch ${c.batchSize}`,
    `lr ${c.learningRate}${c.plateau ? ` ×${c.plateau.factor} on ${c.plateau.patience}-epoch plateaus` : ''}`,
    c.tail > 1 ? `last ${c.tail} cycles averaged` : 'last window',
  ];
  return parts.filter(Boolean).join(', ');
}

/** How the members' held-out units were scored, in words. */
export function heldOutProtocol(c: RulConfig): string {
  return c.validationTruncations > 0
    ? `last window before ${c.validationTruncations} seeded cuts per unit (spread over ${c.validationCuts === 'rul' ? 'the RUL they leave' : 'its cycles'}), RUL capped at ${c.cap}`
    : `every window, capped target`;
}

function published(subset: string): string {
  if (subset !== 'FD001') return `  published      (FD001 figures only; none kept for ${subset})`;
  return `  published      ${PUBLISHED_FD001_RMSE.map((p) => `${p.model} ${p.rmse}`).join(' · ')} (test RMSE)`;
}

export function benchmarkJson(r: CmapssBenchmarkResult, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    subset: r.subset,
    rmse: round(r.rmse, 3),
    score: round(r.score, 1),
    backend: r.backend,
    trainSeconds: round(r.trainSeconds, 1),
    members: r.members,
    epochs: r.epochs,
    validationRmse: round(r.validationRmse, 3),
    rmseCappedTruth: round(r.rmseCappedTruth, 3),
    trainUnits: r.trainUnits,
    testUnits: r.testUnits,
    ...extra,
  });
}

export function benchmarkText(r: CmapssBenchmarkResult, model?: string): string {
  const b = `(${r.backend})`;
  return [
    `C-MAPSS ${r.subset}: ${describeConfig(r.ensemble.config)}`,
    `  trained on ${r.trainUnits} training units, scored on the last cycles of ${r.testUnits} test units`,
    `  RMSE           ${r.rmse.toFixed(2)} ${b}   against truth capped at ${r.ensemble.config.cap}: ${r.rmseCappedTruth.toFixed(2)}`,
    `  PHM08 score    ${r.score.toFixed(1)} ${b}`,
    `  validation     RMSE ${r.validationRmse.toFixed(2)} ${b} on held-out training units (mean of members; ${heldOutProtocol(r.ensemble.config)})`,
    `  train seconds  ${r.trainSeconds.toFixed(1)} ${b}, epochs per member ${r.epochs.join(', ')}`,
    published(r.subset),
    ...(model ? [`  saved          ${model}`] : []),
    '',
  ].join('\n');
}

export function evaluateText(
  subset: string,
  f: CmapssTestFigures,
  config: RulConfig,
  backend: string,
  modelDir: string,
): string {
  const b = `(${backend})`;
  return [
    `C-MAPSS ${subset}, model ${modelDir}: ${describeConfig(config)}`,
    `  RMSE           ${f.rmse.toFixed(2)} ${b}   against truth capped at ${config.cap}: ${f.rmseCappedTruth.toFixed(2)}`,
    `  PHM08 score    ${f.score.toFixed(1)} ${b}`,
    `  test units     ${f.testUnits}`,
    published(subset),
    '',
  ].join('\n');
}

export function validationJson(
  subset: string,
  variant: string,
  backend: string,
  r: RulValidationReport,
  config: RulConfig,
) {
  return JSON.stringify({
    subset,
    variant,
    backend,
    rmseCapped: round(r.rmseCapped, 3),
    rmseTrue: round(r.rmseTrue, 3),
    rmseLateCuts: round(r.rmseLateCuts, 3),
    lateCuts: r.lateCuts,
    scorePer100: round(r.scorePer100, 1),
    memberRmseCapped: r.memberRmseCapped.map((v) => round(v, 3)),
    rmseAllWindows: round(r.rmseAllWindows, 3),
    cuts: r.cuts,
    cutProtocol: r.cutProtocol,
    epochs: r.epochs,
    trainSeconds: round(r.trainSeconds, 1),
    secondsPerEpoch: round(r.secondsPerEpoch, 2),
    trainUnits: r.trainUnits,
    holdoutUnits: r.holdoutUnits,
    config,
  });
}

export function validationText(
  subset: string,
  variant: string,
  backend: string,
  r: RulValidationReport,
  config: RulConfig,
) {
  const b = `(${backend})`;
  return [
    `C-MAPSS ${subset} validation, variant ${variant}: ${describeConfig(config)}`,
    `  trained on ${r.trainUnits} training units; ${r.holdoutUnits.length} training units held out, cut at ${r.cuts} seeded points; test files not read`,
    `  held-out RMSE  ${r.rmseCapped.toFixed(2)} ${b} last window before each cut, RUL capped at ${config.cap}; members alone ${r.memberRmseCapped.map((v) => v.toFixed(2)).join(', ')}`,
    `  late cuts      ${r.rmseLateCuts.toFixed(2)} ${b} the ${r.lateCuts} cuts that leave ≤ ${config.cap} cycles (early-life cuts are answered by the cap)`,
    `  uncapped RMSE  ${r.rmseTrue.toFixed(2)} ${b} against the RUL at the cut · PHM08 score ${r.scorePer100.toFixed(1)} per 100 cuts`,
    `  every window   ${r.rmseAllWindows.toFixed(2)} ${b} (the first protocol: every window of the held-out units)`,
    `  train seconds  ${r.trainSeconds.toFixed(1)} ${b}, ${r.secondsPerEpoch.toFixed(2)} s/epoch, epochs ${r.epochs.join(', ')}`,
    '',
  ].join('\n');
}
