import { describe, expect, it } from 'vitest';
import {
  BASELINE_RUL_CONFIG,
  DEFAULT_RUL_CONFIG,
  RUL_VARIANTS,
  resolveRulConfig,
  rulConfigSchema,
} from './config.ts';

describe('resolveRulConfig', () => {
  it('gives the chosen default without a variant, and a variant on top of the baseline', () => {
    expect(resolveRulConfig(undefined)).toEqual(DEFAULT_RUL_CONFIG);
    expect(resolveRulConfig('baseline')).toEqual(BASELINE_RUL_CONFIG);
    for (const name of Object.keys(RUL_VARIANTS)) expect(() => resolveRulConfig(name)).not.toThrow();
  });

  it('applies overrides and validates the result', () => {
    expect(resolveRulConfig(undefined, { members: 2, epochs: 3 })).toMatchObject({ members: 2, epochs: 3 });
    expect(() => resolveRulConfig(undefined, { members: 0 })).toThrow();
    expect(() => resolveRulConfig('nope')).toThrow(/unknown variant "nope"/);
  });

  it('every configuration, default and variants, passes the schema saved models are read with', () => {
    expect(rulConfigSchema.safeParse(DEFAULT_RUL_CONFIG).success).toBe(true);
    for (const name of Object.keys(RUL_VARIANTS))
      expect(rulConfigSchema.safeParse(resolveRulConfig(name)).success).toBe(true);
  });

  it('reads configurations saved before the cut protocol and the cycle channel existed as they trained', () => {
    const { validationCuts: _cuts, cycleScale: _scale, ...old } = DEFAULT_RUL_CONFIG;
    const parsed = rulConfigSchema.parse(old);
    expect(parsed.validationCuts).toBe('life');
    expect(parsed.cycleScale).toBeNull();
  });
});
