import type { ProgressListener } from '../training/progress.ts';
import { deriveSeed, mulberry32, shuffleInPlace } from '../training/random.ts';
import type { RulConfig } from './config.ts';
import { disposeEnsemble, predictEnsemble, trainRulEnsemble, windowOptions } from './ensemble.ts';
import type { CmapssUnit } from './loader.ts';
import { combineTail, rmse, sensorIndices } from './prepare.ts';
import { predictRul } from './rul-model.ts';
import { cutPoints, type Truncation, truncatedWindows } from './truncation.ts';
import { cutFigures, type HeldOutFigures, HOLDOUT_MIN_CYCLES, HOLDOUT_TRUNCATIONS } from './validation.ts';

/*
 * k-fold cross-validation over the training units: every unit is held out once, by an ensemble
 * trained on the other folds, and scored as the test set is (seeded cuts, the last window before each).
 * One 20-unit holdout (validation.ts) ranks configurations by differences of 0.2–0.4 that did not carry
 * over to the test file (VARIANTS.md, round 000); five folds score all 100 units, so a configuration's
 * figure rests on five times the cuts and the spread between folds shows how far one holdout can mislead.
 */

export interface RulCrossValidationReport extends HeldOutFigures {
  folds: number;
  /** Units scored, each once (all the training units given). */
  units: number;
  /** rmseCapped of each fold's held-out units: how much one holdout's figure can move. */
  foldRmseCapped: number[];
  /** Units held out in each fold. */
  foldUnits: number[][];
  /** Epochs run by each member, per fold. (`memberRmseCapped`: member m of every fold, pooled.) */
  epochs: number[][];
}

/** One fold's held-out figure as it ends. */
export interface FoldFigures {
  /** 1-based. */
  fold: number;
  of: number;
  units: number[];
  cuts: number;
  rmseCapped: number;
  epochs: number[];
  trainSeconds: number;
}

/** The units in `folds` seeded groups whose sizes differ by one at most: a shuffle, then dealt in turn. */
export function foldsOf<T>(units: readonly T[], folds: number, seed: number): T[][] {
  if (!(Number.isInteger(folds) && folds >= 2 && folds <= units.length))
    throw new Error(`folds must be a whole number from 2 to the ${units.length} units, got ${folds}`);
  const shuffled = shuffleInPlace([...units], mulberry32(seed));
  return Array.from({ length: folds }, (_, k) => shuffled.filter((_, i) => i % folds === k));
}

/**
 * Cuts of each unit drawn from its own seed (the unit's number and `seed`), so a unit is asked the same
 * questions whichever fold it falls in and whichever configuration is scored.
 */
export function unitCuts(
  units: readonly CmapssUnit[],
  protocol: 'life' | 'rul',
  perUnit: number,
  minCycles: number,
  seed: number,
): Truncation[] {
  return units.flatMap((unit, index) =>
    cutPoints(protocol, [unit], perUnit, minCycles, deriveSeed(seed, `unit-${unit.unit}`)).map((cut) => ({
      ...cut,
      unit: index,
    })),
  );
}

export async function crossValidateRulConfig(
  units: CmapssUnit[],
  config: RulConfig,
  options: {
    folds?: number;
    /** Which units fall in which fold and where they are cut (default 2026). */
    seed?: number;
    truncations?: number;
    minCycles?: number;
    /** Where held-out units are cut; defaults to `config.validationCuts`. */
    cuts?: 'life' | 'rul';
    onEpoch?: ProgressListener;
    /** Called as each fold starts training (1-based). */
    onFold?: (fold: number, of: number) => void;
    /**
     * Called as each fold is scored: a run of k trainings takes hours on these cores, and a run stopped
     * part way keeps the folds that ended.
     */
    onFoldScored?: (fold: FoldFigures) => void;
    signal?: AbortSignal;
  } = {},
): Promise<RulCrossValidationReport> {
  const seed = options.seed ?? 2026;
  const protocol = options.cuts ?? config.validationCuts;
  const folds = foldsOf(units, options.folds ?? 5, deriveSeed(seed, 'folds'));
  const sensors = sensorIndices(config.sensors);
  const wo = windowOptions(config);
  const predicted: number[] = [];
  const truth: number[] = [];
  const byMember: number[][] = Array.from({ length: config.members }, () => []);
  const foldRmseCapped: number[] = [];
  const epochs: number[][] = [];
  let trainSeconds = 0;
  let memberSeconds = 0;
  for (const [k, held] of folds.entries()) {
    options.onFold?.(k + 1, folds.length);
    const train = folds.flatMap((fold, j) => (j === k ? [] : fold));
    const trained = await trainRulEnsemble(train, config, {
      ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const { ensemble } = trained;
    try {
      const cuts = unitCuts(
        held,
        protocol,
        options.truncations ?? HOLDOUT_TRUNCATIONS,
        options.minCycles ?? HOLDOUT_MIN_CYCLES,
        deriveSeed(seed, 'cuts'),
      );
      const batch = truncatedWindows(held, cuts, sensors, ensemble.stats, wo, config.tail);
      const combine = (p: Float32Array) => combineTail(p, cuts.length, config.tail, config.cap);
      const ensembleSays = combine(predictEnsemble(ensemble, batch));
      const capped = cuts.map((c) => Math.min(config.cap, c.rul));
      const foldRmse = rmse(ensembleSays, capped);
      foldRmseCapped.push(foldRmse);
      predicted.push(...ensembleSays);
      truth.push(...cuts.map((c) => c.rul));
      ensemble.members.forEach((member, m) => {
        byMember[m]!.push(...combine(predictRul(member, batch, config.cap)));
      });
      epochs.push(ensemble.memberInfo.map((m) => m.epochsRun));
      trainSeconds += trained.trainSeconds;
      memberSeconds += ensemble.memberInfo.reduce((s, m) => s + m.trainSeconds, 0);
      options.onFoldScored?.({
        fold: k + 1,
        of: folds.length,
        units: held.map((u) => u.unit),
        cuts: cuts.length,
        rmseCapped: foldRmse,
        epochs: ensemble.memberInfo.map((m) => m.epochsRun),
        trainSeconds: trained.trainSeconds,
      });
    } finally {
      disposeEnsemble(ensemble);
    }
  }
  const capped = truth.map((t) => Math.min(config.cap, t));
  const allEpochs = epochs.flat().reduce((a, b) => a + b, 0);
  return {
    folds: folds.length,
    units: units.length,
    cuts: truth.length,
    cutProtocol: protocol,
    ...cutFigures(predicted, truth, config.cap),
    foldRmseCapped,
    foldUnits: folds.map((fold) => fold.map((u) => u.unit)),
    memberRmseCapped: byMember.map((p) => rmse(p, capped)),
    epochs,
    trainSeconds,
    secondsPerEpoch: allEpochs > 0 ? memberSeconds / allEpochs : 0,
  };
}
