import { ValidationError } from '@aftercare/core';
import { foldsOf, type RulConfig, splitUnits } from '@aftercare/models';
import { requireEnoughCycles } from './cmapss-cycles.ts';
import { inFolder } from './cmapss-data.ts';

/*
 * How few training units a C-MAPSS command can work with, found by asking the same functions that
 * split the units (their sizes do not depend on the seed). NASA's training units run 128 cycles and
 * more, which every role a unit can get asks for; a file cut shorter is checked unit by unit
 * (cmapss-cycles.ts).
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

/** What the command does with the units; `cuts` is where validate cuts the units it holds out. */
export type UnitPlan =
  | { kind: 'train' }
  | { kind: 'holdout'; holdout: number; given: boolean; cuts: 'life' | 'rul' }
  | { kind: 'folds'; folds: number; cuts: 'life' | 'rul' };

/** Fewest units `plan` works with: the ensemble's minimum, after the held-out share or fold is set aside. */
function fewestUnits(config: RulConfig, plan: UnitPlan): number {
  const need = fewestEnsembleUnits(config);
  if (plan.kind === 'train') return need;
  for (let n = plan.kind === 'folds' ? plan.folds : 2; ; n++) {
    const left = plan.kind === 'folds' ? leftAfterFolds(n, plan.folds) : leftAfterHoldout(n, plan.holdout);
    if (left >= need) return n;
  }
}

const unitCount = (n: number) => `${n} unit${n === 1 ? '' : 's'}`;

/**
 * Refuses, before any training, a number of units too small for `plan` (TensorFlow would otherwise
 * fail deep inside on an empty batch). `units` is how many the command would use; `given` whether
 * --units chose it (else the training file holds no more, and `file` is named).
 */
function requireEnoughUnits(
  config: RulConfig,
  plan: UnitPlan,
  units: number,
  source: { given: true } | { given: false; file: string },
): void {
  const fewest = fewestUnits(config, plan);
  if (units >= fewest) return;
  const need = fewestEnsembleUnits(config);
  const member = `an ensemble member needs ${need} (it early-stops on units it does not fit)`;
  if (!source.given) {
    // The file is what falls short: say what it holds, then what the command needs and why.
    const holds = `--dir: ${inFolder(source.file)} holds ${unitCount(units)}`;
    if (plan.kind === 'train')
      throw new ValidationError(
        `${holds}; training needs at least ${fewest} (each ensemble member early-stops on units it does not fit)`,
      );
    throw new ValidationError(`${holds}; ${planNeeds(plan, units, fewest)}, and ${member}`);
  }
  const subject = `--units: ${units} is`;
  const remedy = `give --units ${fewest} or more`;
  if (plan.kind === 'train') {
    throw new ValidationError(`${subject} too few to train on: ${member}; ${remedy}`);
  }
  if (plan.kind === 'holdout') {
    const left = leftAfterHoldout(units, plan.holdout);
    throw new ValidationError(
      `${subject} too few with ${holdoutWords(plan)}: ${units - left} held out leaves ${left} to train on, and ${member}; ${remedy}`,
    );
  }
  const left = leftAfterFolds(units, plan.folds);
  throw new ValidationError(
    `${subject} too few with --folds ${plan.folds}: a fold leaves ${left} to train on, and ${member}; ${remedy}`,
  );
}

const holdoutWords = (plan: { holdout: number; given: boolean }) =>
  `--holdout ${plan.holdout}${plan.given ? '' : ' (the default)'}`;

/** "validation with --holdout 0.2 needs at least 3: 1 held out leaves 1 to train on", for a file's units. */
function planNeeds(plan: Exclude<UnitPlan, { kind: 'train' }>, units: number, fewest: number): string {
  if (plan.kind === 'holdout') {
    const left = leftAfterHoldout(units, plan.holdout);
    return `validation with ${holdoutWords(plan)} needs at least ${fewest}: ${units - left} held out leaves ${left} to train on`;
  }
  return `--folds ${plan.folds} needs at least ${fewest}: a fold leaves ${leftAfterFolds(units, plan.folds)} to train on`;
}

/**
 * The first `wanted` training units (all of them when unset), refused before any training when too
 * few for `plan`, or when one of them is too short to give what its role asks of it. `file` is the
 * training file, named when it holds fewer units than --units asks for, and when a unit falls short.
 */
export function pickUnits<T extends { unit: number; rows: readonly unknown[] }>(
  all: T[],
  wanted: number | undefined,
  config: RulConfig,
  plan: UnitPlan,
  file: string,
): T[] {
  const units = wanted === undefined ? all : all.slice(0, wanted);
  const given = wanted !== undefined && wanted <= all.length;
  requireEnoughUnits(config, plan, units.length, given ? { given } : { given, file });
  requireEnoughCycles(config, plan.kind === 'train' ? null : plan.cuts, units, file);
  return units;
}
