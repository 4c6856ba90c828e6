import type { RulConfig, RulCrossValidationReport } from '@aftercare/models';
import { describeConfig } from './cmapss-format.ts';

const round = (v: number, digits: number) => Number(v.toFixed(digits));
const list = (values: readonly number[]) => values.map((v) => v.toFixed(2)).join(', ');

export function crossValidationJson(
  subset: string,
  variant: string,
  backend: string,
  r: RulCrossValidationReport,
  config: RulConfig,
) {
  return JSON.stringify({
    subset,
    variant,
    backend,
    folds: r.folds,
    rmseCapped: round(r.rmseCapped, 3),
    foldRmseCapped: r.foldRmseCapped.map((v) => round(v, 3)),
    memberRmseCapped: r.memberRmseCapped.map((v) => round(v, 3)),
    rmseTrue: round(r.rmseTrue, 3),
    rmseLateCuts: round(r.rmseLateCuts, 3),
    lateCuts: r.lateCuts,
    scorePer100: round(r.scorePer100, 1),
    cuts: r.cuts,
    cutProtocol: r.cutProtocol,
    epochs: r.epochs,
    trainSeconds: round(r.trainSeconds, 1),
    secondsPerEpoch: round(r.secondsPerEpoch, 2),
    units: r.units,
    foldUnits: r.foldUnits,
    config,
  });
}

export function crossValidationText(
  subset: string,
  variant: string,
  backend: string,
  r: RulCrossValidationReport,
  config: RulConfig,
) {
  const b = `(${backend})`;
  return [
    `C-MAPSS ${subset} ${r.folds}-fold cross-validation, variant ${variant}: ${describeConfig(config)}`,
    `  each of ${r.units} training units held out once, cut at ${r.cuts} seeded points in all (${r.cutProtocol} cuts); test files not read`,
    `  out-of-fold RMSE ${r.rmseCapped.toFixed(2)} ${b} last window before each cut, RUL capped at ${config.cap}`,
    `  per fold         ${list(r.foldRmseCapped)}`,
    `  members alone    ${list(r.memberRmseCapped)}`,
    `  late cuts        ${r.rmseLateCuts.toFixed(2)} ${b} the ${r.lateCuts} cuts that leave ≤ ${config.cap} cycles`,
    `  uncapped RMSE    ${r.rmseTrue.toFixed(2)} ${b} against the RUL at the cut · PHM08 score ${r.scorePer100.toFixed(1)} per 100 cuts`,
    `  train seconds    ${r.trainSeconds.toFixed(1)} ${b}, ${r.secondsPerEpoch.toFixed(2)} s/epoch, epochs ${r.epochs.map((e) => e.join('/')).join(', ')}`,
    '',
  ].join('\n');
}
