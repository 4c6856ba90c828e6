import { BASELINE_RUL_CONFIG, type RulConfig } from './config.ts';

/**
 * A configuration that trains in a second, for tests of the machinery around training (splits, folds,
 * cuts, reports), not of what a model learns: 8-cycle windows into a small dense network, two epochs.
 */
export function tinyRulConfig(overrides: Partial<RulConfig> = {}): RulConfig {
  return {
    ...BASELINE_RUL_CONFIG,
    windowLength: 8,
    minCycles: 8,
    architecture: { kind: 'mlp', hidden: [8], dropout: 0 },
    members: 2,
    epochs: 2,
    patience: 2,
    batchSize: 64,
    ...overrides,
  };
}
