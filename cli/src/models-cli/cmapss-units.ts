import { ValidationError } from '@aftercare/core';
import { foldsOf, type RulConfig, splitUnits } from '@aftercare/models';

/*
 * How few training units a C-MAPSS command can work with, found by asking the same functions that
 * split the units (their sizes do not depend on the seed). NASA's training units run 128 cycles and
 * more, and no configuration's first window needs more than 30, so every unit, held out or trained on,
 * gives windows: what runs out first is units.
 */

const numbered = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * Fewest units an ensemble trains on: each member holds out max(1, round(n × validationFraction)) of
 * them to early-stop on and needs at least one left to fit.
 */
function fewestEnsembleUnits(config: RulConfig): number {
  for (let n = 2; ; n++)
    if (splitUnits(numbered(n), config.validationFraction, 0).train.length >= 1) return n;
}

/** Units left to train on when `holdout` of n are held out (at least one is). */
const leftAfterHoldout = (n: number, holdout: number) => splitUnits(numbered(n), holdout, 0).train.length;

/** Units the smallest training set of k-fold cross-validation over n units holds (n − the largest fold). */
const leftAfterFolds = (n: number, folds: number) =>
  n - Math.max(...foldsOf(numbered(n), folds, 0).map((fold) => fold.length));

export type UnitPlan =
  | { kind: 'train' }
  | { kind: 'holdout'; holdout: number; given: boolean }
  | { kind: 'folds'; folds: number };

/** Fewest units `plan` works with: the ensemble's minimum, after the held-out share or fold is set aside. */
function fewestUnits(config: RulConfig, plan: UnitPlan): number {
  const need = fewestEnsembleUnits(config);
  if (plan.kind === 'train') return need;
  for (let n = plan.kind === 'folds' ? plan.folds : 2; ; n++) {
    const left = plan.kind === 'folds' ? leftAfterFolds(n, plan.folds) : leftAfterHoldout(n, plan.holdout);
    if (left >= need) return n;
  }
}

/**
 * Refuses, before any training, a number of units too small for `plan` (TensorFlow would otherwise
 * fail deep inside on an empty batch). `units` is how many the command would use; `given` whether
 * --units chose it (else the training file holds no more, and `file` is named).
 */
export function requireEnoughUnits(
  config: RulConfig,
  plan: UnitPlan,
  units: number,
  source: { given: true } | { given: false; file: string },
): void {
  const fewest = fewestUnits(config, plan);
  if (units >= fewest) return;
  const need = fewestEnsembleUnits(config);
  const member = `an ensemble member needs ${need} (it early-stops on units it does not fit)`;
  const subject = source.given ? `--units: ${units} is` : `--dir: ${source.file} holds ${units} units,`;
  const remedy = source.given ? `give --units ${fewest} or more` : `it needs ${fewest} or more`;
  if (plan.kind === 'train') {
    throw new ValidationError(`${subject} too few to train on: ${member}; ${remedy}`);
  }
  if (plan.kind === 'holdout') {
    const left = leftAfterHoldout(units, plan.holdout);
    const holdout = `--holdout ${plan.holdout}${plan.given ? '' : ' (the default)'}`;
    throw new ValidationError(
      `${subject} too few with ${holdout}: ${units - left} held out leaves ${left} to train on, and ${member}; ${remedy}`,
    );
  }
  const left = leftAfterFolds(units, plan.folds);
  throw new ValidationError(
    `${subject} too few with --folds ${plan.folds}: a fold leaves ${left} to train on, and ${member}; ${remedy}`,
  );
}

/**
 * The first `wanted` training units (all of them when unset), refused before any training when too
 * few for `plan`. `file` is the training file, named when it holds fewer units than --units asks for.
 */
export function pickUnits<T>(
  all: T[],
  wanted: number | undefined,
  config: RulConfig,
  plan: UnitPlan,
  file: string,
): T[] {
  const units = wanted === undefined ? all : all.slice(0, wanted);
  const given = wanted !== undefined && wanted <= all.length;
  requireEnoughUnits(config, plan, units.length, given ? { given } : { given, file });
  return units;
}
