import type { ProgressListener } from '../training/progress.ts';
import { deriveSeed } from '../training/random.ts';
import type { RulConfig } from './config.ts';
import { disposeEnsemble, predictEnsemble, trainRulEnsemble, windowOptions } from './ensemble.ts';
import type { CmapssUnit } from './loader.ts';
import { combineTail, phm08Score, rmse, sensorIndices, trainingWindows } from './prepare.ts';
import { predictRul, splitUnits } from './rul-model.ts';
import { cutPoints, truncatedWindows } from './truncation.ts';

/** Cuts per held-out unit in model selection unless told otherwise. */
export const HOLDOUT_TRUNCATIONS = 10;
/** No cut keeps fewer cycles than this (the literature's window length), whatever the variant. */
export const HOLDOUT_MIN_CYCLES = 30;

/** How a configuration answered held-out units cut as the test set is. */
export interface HeldOutFigures {
  /** Predictions scored: held-out units × cuts per unit (fewer for units too short to cut as often). */
  cuts: number;
  /** How the held-out units were cut: over their cycles ('life') or over the RUL left ('rul'). */
  cutProtocol: 'life' | 'rul';
  /**
   * The selection figure, scored as the test set is: each held-out unit cut at seeded points (the same
   * for every configuration), one prediction from the last window(s) before each cut, against the RUL
   * at the cut capped at `cap`.
   */
  rmseCapped: number;
  /** The same predictions against the uncapped RUL at the cut (the test file's truth is uncapped). */
  rmseTrue: number;
  /**
   * rmseCapped over the cuts that leave at most `cap` cycles only (their target is exact). Uniform cuts
   * also ask about early life, where the answer is the cap and nearly free; this figure leaves those out.
   */
  rmseLateCuts: number;
  /** How many cuts leave at most `cap` cycles. */
  lateCuts: number;
  /** PHM08 score of those predictions against the uncapped RUL, per 100 predictions (a test file's size). */
  scorePer100: number;
  /** rmseCapped of each member alone: the ensemble's gain is the gap. */
  memberRmseCapped: number[];
  trainSeconds: number;
  secondsPerEpoch: number;
}

export interface RulValidationReport extends HeldOutFigures {
  /** Training units trained on and held out; the test file plays no part. */
  trainUnits: number;
  /** Units any member trained or early-stopped on; disjoint from holdoutUnits. */
  usedUnits: number[];
  holdoutUnits: number[];
  /** The first protocol, for comparison: every window of the held-out units, capped target. */
  rmseAllWindows: number;
  epochs: number[];
}

/** The figures of predictions at cuts whose uncapped RUL is `truth`, for a model capped at `cap`. */
export function cutFigures(
  predicted: ArrayLike<number>,
  truth: readonly number[],
  cap: number,
): Pick<HeldOutFigures, 'rmseCapped' | 'rmseTrue' | 'rmseLateCuts' | 'lateCuts' | 'scorePer100'> {
  const late = [...truth.keys()].filter((i) => truth[i]! <= cap);
  return {
    rmseCapped: rmse(
      predicted,
      truth.map((t) => Math.min(cap, t)),
    ),
    rmseTrue: rmse(predicted, truth),
    rmseLateCuts: rmse(
      late.map((i) => predicted[i]!),
      late.map((i) => truth[i]!),
    ),
    lateCuts: late.length,
    scorePer100: (phm08Score(predicted, truth) / truth.length) * 100,
  };
}

/**
 * Model selection on the training file only: holds out `holdoutFraction` of the training units
 * (fixed by `holdoutSeed`, the same for every variant), trains the configured ensemble on the rest
 * (each member again holding out its own units for early stopping) and scores the held-out units with
 * the test protocol: `truncations` seeded cuts per unit, the last window before each cut.
 */
export async function validateRulConfig(
  units: CmapssUnit[],
  config: RulConfig,
  options: {
    holdoutFraction?: number;
    holdoutSeed?: number;
    truncations?: number;
    /** Fewest cycles a cut keeps (default HOLDOUT_MIN_CYCLES). */
    minCycles?: number;
    /**
     * Where the held-out units are cut: over their cycles ('life') or over the RUL left ('rul'; see
     * `rulTruncationPoints`). Defaults to `config.validationCuts`, how the members early-stop.
     */
    cuts?: 'life' | 'rul';
    onEpoch?: ProgressListener;
    signal?: AbortSignal;
  } = {},
): Promise<RulValidationReport> {
  const holdoutSeed = options.holdoutSeed ?? 2026;
  const outer = splitUnits(units, options.holdoutFraction ?? 0.2, holdoutSeed);
  const { ensemble, trainSeconds } = await trainRulEnsemble(outer.train, config, {
    ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const sensors = sensorIndices(config.sensors);
    const wo = windowOptions(config);
    // The cuts depend on the held-out units and the holdout seed only, never on the configuration's
    // own seed or window, so every variant answers the same questions.
    const cuts = cutPoints(
      options.cuts ?? config.validationCuts,
      outer.validation,
      options.truncations ?? HOLDOUT_TRUNCATIONS,
      options.minCycles ?? HOLDOUT_MIN_CYCLES,
      deriveSeed(holdoutSeed, 'holdout-cuts'),
    );
    const batch = truncatedWindows(outer.validation, cuts, sensors, ensemble.stats, wo, config.tail);
    const capped = cuts.map((c) => Math.min(config.cap, c.rul));
    const truth = cuts.map((c) => c.rul);
    const predict = (p: Float32Array) => combineTail(p, cuts.length, config.tail, config.cap);
    const predicted = predict(predictEnsemble(ensemble, batch));
    const every = trainingWindows(outer.validation, sensors, ensemble.stats, wo);
    const epochs = ensemble.memberInfo.map((m) => m.epochsRun);
    return {
      trainUnits: outer.train.length,
      usedUnits: [
        ...new Set(ensemble.memberInfo.flatMap((m) => [...m.trainUnits, ...m.validationUnits])),
      ].sort((p, q) => p - q),
      holdoutUnits: outer.validation.map((u) => u.unit),
      cuts: cuts.length,
      cutProtocol: options.cuts ?? config.validationCuts,
      ...cutFigures(predicted, truth, config.cap),
      memberRmseCapped: ensemble.members.map((m) => rmse(predict(predictRul(m, batch, config.cap)), capped)),
      rmseAllWindows: rmse(predictEnsemble(ensemble, every), every.y),
      epochs,
      trainSeconds,
      secondsPerEpoch:
        ensemble.memberInfo.reduce((s, m) => s + m.trainSeconds, 0) / epochs.reduce((a, b) => a + b, 0),
    };
  } finally {
    disposeEnsemble(ensemble);
  }
}
