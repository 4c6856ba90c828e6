import { z } from 'zod';
import { INFORMATIVE_SENSORS, RUL_CAP, WINDOW_LENGTH } from './prepare.ts';

const architectureSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('gru'),
    units: z.number().int().min(1).max(512),
    dense: z.number().int().min(1).max(1024),
    dropout: z.number().min(0).max(0.9),
    recurrentActivation: z.enum(['hardSigmoid', 'sigmoid']).optional(),
  }),
  z.object({
    kind: z.literal('mlp'),
    hidden: z.array(z.number().int().min(1).max(4096)).min(1),
    dropout: z.number().min(0).max(0.9),
  }),
]);

/** Everything that decides how the C-MAPSS RUL model is built and trained; saved with the model. */
export const rulConfigSchema = z.object({
  sensors: z.array(z.string().regex(/^s\d+$/)).min(1),
  /** Time steps the network sees. */
  windowLength: z.number().int().min(2).max(500),
  /** Cycles per time step (their mean); the window covers windowLength × stride cycles. */
  stride: z.number().int().min(1).max(50).default(1),
  /** Training windows end at this cycle or later (shorter histories are padded at the front). */
  minCycles: z.number().int().min(1).max(500),
  /** Exponential smoothing factor of the normalised sensors; 1 = none. */
  smoothing: z.number().gt(0).max(1),
  cap: z.number().positive(),
  architecture: architectureSchema,
  /** Ensemble size; members differ by seed and by the training units they hold out. */
  members: z.number().int().min(1).max(50),
  /** Share of the training units each member holds out for early stopping and its LR schedule. */
  validationFraction: z.number().gt(0).lt(1),
  /**
   * How a member's held-out units are scored for early stopping and the rate schedule: each is cut at
   * this many seeded points and only the last window before each cut is scored against the RUL there
   * (capped), as the test set is. 0 = every window of the held-out units (the first protocol, which
   * weighs near-failure windows the test set rarely asks about).
   */
  validationTruncations: z.number().int().min(0).max(100).default(10),
  /**
   * Where those cuts fall: 'life' spreads them evenly over each unit's cycles (the first cut protocol;
   * about a fifth of them leave more than the cap, answered by the cap for free), 'rul' spreads the
   * RUL left at the cut evenly over 5..150 cycles (the test file's units are cut "some time prior to
   * failure"). Models saved before this field existed used 'life'.
   */
  validationCuts: z.enum(['life', 'rul']).default('life'),
  /**
   * Adds the cycles observed so far, divided by this and clipped at 1, as an input channel (known at
   * test time: the length of the unit's history). null = sensors only.
   */
  cycleScale: z.number().positive().nullable().default(null),
  epochs: z.number().int().min(1).max(1000),
  patience: z.number().int().min(1).max(1000),
  /** Relative validation-loss improvement that resets `patience` (0 = any improvement). */
  minDelta: z.number().min(0).max(0.5).default(0),
  batchSize: z.number().int().min(1).max(65_536),
  learningRate: z.number().positive().max(1),
  plateau: z
    .object({
      factor: z.number().gt(0).lt(1),
      patience: z.number().int().min(1),
      minLearningRate: z.number().positive(),
    })
    .nullable(),
  /** Test-time: predictions at a unit's last `tail` cycles, shifted and averaged (1 = last window only). */
  tail: z.number().int().min(1).max(50),
  seed: z.number().int().min(0),
});

export type RulConfig = z.infer<typeof rulConfigSchema>;

/** The first run's configuration (RMSE 14.29 on FD001 test): one GRU, constant rate, batch 256. */
export const BASELINE_RUL_CONFIG: RulConfig = {
  sensors: [...INFORMATIVE_SENSORS],
  windowLength: WINDOW_LENGTH,
  stride: 1,
  minCycles: WINDOW_LENGTH,
  smoothing: 1,
  cap: RUL_CAP,
  architecture: { kind: 'gru', units: 48, dense: 32, dropout: 0.1 },
  members: 1,
  validationFraction: 0.2,
  validationTruncations: 10,
  validationCuts: 'life',
  cycleScale: null,
  epochs: 60,
  patience: 8,
  minDelta: 0,
  batchSize: 256,
  learningRate: 1e-3,
  plateau: null,
  tail: 1,
  seed: 1,
};

/**
 * Variants compared on held-out TRAINING units with `pnpm models validate cmapss --variant <name>`
 * (the test file is never read there). Each is a change to the baseline; the figures are in
 * VARIANTS.md beside this file. The default below is the one that won on validation.
 */
const PLATEAU: Partial<RulConfig> = {
  batchSize: 512,
  learningRate: 2e-3,
  plateau: { factor: 0.5, patience: 3, minLearningRate: 1e-5 },
  patience: 10,
};

/** PLATEAU with shorter waits: members stop once the halved rates stop paying (about half the epochs). */
const FAST: Partial<RulConfig> = {
  ...PLATEAU,
  plateau: { factor: 0.5, patience: 2, minLearningRate: 1e-5 },
  patience: 6,
  epochs: 40,
};

const POOLED60: Partial<RulConfig> = { stride: 2, minCycles: 30 };

const SIGMOID_GRU: RulConfig['architecture'] = {
  kind: 'gru',
  units: 48,
  dense: 32,
  dropout: 0.1,
  recurrentActivation: 'sigmoid',
};

export const RUL_VARIANTS: Record<string, Partial<RulConfig>> = {
  baseline: {},
  plateau: PLATEAU,
  fast: FAST,
  mlp: { ...FAST, architecture: { kind: 'mlp', hidden: [128, 64], dropout: 0.2 } },
  // One change each to the baseline (batch 256, constant rate), which beat `plateau` on validation.
  window40: { windowLength: 40, minCycles: 30 },
  window50: { windowLength: 50, minCycles: 30 },
  smooth: { smoothing: 0.3 },
  sigmoid: { architecture: SIGMOID_GRU },
  // 60 and 90 cycles of history at the cost of 30 steps: each step is the mean of 2 or 3 cycles.
  pooled60: { stride: 2, minCycles: 30 },
  pooled90: { stride: 3, minCycles: 30 },
  pooled80: { windowLength: 40, stride: 2, minCycles: 30 },
  pooled60sigmoid: { stride: 2, minCycles: 30, architecture: SIGMOID_GRU },
  pooled60smooth: { stride: 2, minCycles: 30, smoothing: 0.5 },
  // pooled60 with early stopping that only waits for gains of 1 % or more (fewer epochs).
  pooled60delta: { stride: 2, minCycles: 30, minDelta: 0.01 },
  // Early stopping on cuts spread over the RUL left (5..150), not over the cycles (VARIANTS.md, table 0).
  pooled60rul: { ...POOLED60, validationCuts: 'rul' },
  // ... and one change each on top of that.
  pooled60rulcycle: { ...POOLED60, validationCuts: 'rul', cycleScale: 400 },
  pooled80rul: { windowLength: 40, stride: 2, minCycles: 30, validationCuts: 'rul' },
  window50rul: { windowLength: 50, minCycles: 30, validationCuts: 'rul' },
  // The cycle channel alone on the default (members early-stop on life cuts), and on pooled80.
  pooled60cycle: { ...POOLED60, cycleScale: 400 },
  pooled80cycle: { windowLength: 40, stride: 2, minCycles: 30, cycleScale: 400 },
  pooled60rulwide: {
    ...POOLED60,
    validationCuts: 'rul',
    architecture: { kind: 'gru', units: 64, dense: 32, dropout: 0.1 },
  },
  // Round 00 (after the first test read): the default with its members early-stopping on rul cuts.
  pooled80rulcycle: { windowLength: 40, stride: 2, minCycles: 30, cycleScale: 400, validationCuts: 'rul' },
  // 100 cycles in 50 steps of 2: longer history helped once the cycle channel was there (60 → 80).
  pooled100cycle: { windowLength: 50, stride: 2, minCycles: 30, cycleScale: 400 },
  // The default with a wider GRU (64 units, as pooled60rulwide).
  pooled80cyclewide: {
    windowLength: 40,
    stride: 2,
    minCycles: 30,
    cycleScale: 400,
    architecture: { kind: 'gru', units: 64, dense: 32, dropout: 0.1 },
  },
  // Round 000 (after the first test read and round 00): round 00's two nearest changes together.
  pooled100cyclewide: {
    windowLength: 50,
    stride: 2,
    minCycles: 30,
    cycleScale: 400,
    architecture: { kind: 'gru', units: 64, dense: 32, dropout: 0.1 },
  },
  // The longer window at half the steps per epoch: batch 512 at the baseline's rate, halved on plateaus.
  window50fast: {
    windowLength: 50,
    minCycles: 30,
    batchSize: 512,
    plateau: { factor: 0.5, patience: 2, minLearningRate: 1e-5 },
    patience: 5,
    epochs: 40,
  },
};

/**
 * Chosen on held-out training units only, by the rule declared before each round (VARIANTS.md): in
 * round 000 `pooled100cyclewide` (100 cycles in 50 steps of 2, the cycle channel, a GRU of 64 units)
 * scored 10.40 on the held-out units cut by the RUL they leave, 0.38 below the previous default
 * `pooled80cycle` (10.78), beyond the 0.3 declared. Rounds 00 and 000 came after the first test read.
 * Three members (five of pooled80cyclewide validated no better than its three).
 */
export const DEFAULT_RUL_CONFIG: RulConfig = rulConfigSchema.parse({
  ...BASELINE_RUL_CONFIG,
  ...RUL_VARIANTS.pooled100cyclewide,
  members: 3,
});

/** A named variant with flag overrides on top, validated. */
export function resolveRulConfig(variant: string | undefined, overrides: Partial<RulConfig> = {}): RulConfig {
  const base =
    variant === undefined ? DEFAULT_RUL_CONFIG : { ...BASELINE_RUL_CONFIG, ...RUL_VARIANTS[variant] };
  if (variant !== undefined && !(variant in RUL_VARIANTS)) {
    throw new Error(`unknown variant "${variant}" (known: ${Object.keys(RUL_VARIANTS).join(', ')})`);
  }
  const merged = Object.fromEntries(
    Object.entries({ ...base, ...overrides }).filter(([, v]) => v !== undefined),
  ) as RulConfig;
  return rulConfigSchema.parse(merged);
}
