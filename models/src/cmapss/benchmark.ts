import type { ProgressListener } from '../training/progress.ts';
import type { RulConfig } from './config.ts';
import { predictUnitsRul, type RulEnsemble, trainRulEnsemble } from './ensemble.ts';
import type { CmapssSubset } from './loader.ts';
import { phm08Score, rmse } from './prepare.ts';

// The cmapss module's public surface beyond the files models/src/index.ts lists itself.
export * from '../training/index.ts';
export * from './config.ts';
export * from './cross-validation.ts';
export * from './ensemble.ts';
export * from './speed.ts';
export * from './truncation.ts';
export * from './validation.ts';

/** Published FD001 test RMSEs (last-window protocol, RUL capped at 125), for orientation. */
export const PUBLISHED_FD001_RMSE = [
  { model: 'CNN (Babu et al. 2016)', rmse: 18.45 },
  { model: 'LSTM (Zheng et al. 2017)', rmse: 16.14 },
  { model: 'deep CNN (Li et al. 2018)', rmse: 12.61 },
  { model: 'recent attention models', rmse: '11–12' },
] as const;

export interface CmapssTestFigures {
  /** RMSE in cycles against RUL_<subset>.txt (uncapped truth), one prediction per test unit. */
  rmse: number;
  score: number;
  /** RMSE against the truth capped at the cap, as several papers report it; for orientation only. */
  rmseCappedTruth: number;
  testUnits: number;
}

/** Scores an ensemble on the test file once: the last cycles of each unit against RUL_<subset>.txt. */
export function evaluateOnTest(ensemble: RulEnsemble, data: CmapssSubset): CmapssTestFigures {
  const predicted = predictUnitsRul(ensemble, data.test);
  const truth = data.testRul;
  return {
    rmse: rmse(predicted, truth),
    score: phm08Score(predicted, truth),
    rmseCappedTruth: rmse(
      predicted,
      truth.map((v) => Math.min(v, ensemble.config.cap)),
    ),
    testUnits: truth.length,
  };
}

export interface CmapssBenchmarkOptions {
  /** The subset, read (and its units checked) by the caller before any training. */
  data: CmapssSubset;
  config: RulConfig;
  backend: string;
  onEpoch?: ProgressListener;
  signal?: AbortSignal;
}

export interface CmapssBenchmarkResult extends CmapssTestFigures {
  subset: string;
  backend: string;
  trainSeconds: number;
  members: number;
  /** Epochs each member ran (early stopping ends them). */
  epochs: number[];
  /** Mean over members of the RMSE on their own held-out training units (capped target). */
  validationRmse: number;
  trainUnits: number;
  ensemble: RulEnsemble;
}

/**
 * Trains the ensemble on train_<subset> (every choice made on held-out training units), then scores
 * test_<subset> against RUL_<subset> once. Nothing here adapts to the test figures.
 */
export async function runCmapssBenchmark(options: CmapssBenchmarkOptions): Promise<CmapssBenchmarkResult> {
  const { data } = options;
  const { ensemble, trainSeconds } = await trainRulEnsemble(data.train, options.config, {
    ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const info = ensemble.memberInfo;
  return {
    subset: data.subset,
    ...evaluateOnTest(ensemble, data),
    backend: options.backend,
    trainSeconds,
    members: info.length,
    epochs: info.map((m) => m.epochsRun),
    validationRmse: info.reduce((s, m) => s + m.validationRmse, 0) / info.length,
    trainUnits: data.train.length,
    ensemble,
  };
}
