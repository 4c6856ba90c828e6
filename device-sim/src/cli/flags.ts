import { type DeviceModel, deviceModels, instantForms, parseInstant } from '@aftercare/core';
import { z } from '../zod.ts';

export { type CommandSpec, type FlagSpec, helpText, parseCommand } from '@aftercare/core';

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `90s`, `15m`, `1h`, `7d`; a bare number is in `bareUnit`. Gives milliseconds. */
export function durationFlag(bareUnit: 'ms' | 's' = 's') {
  return z
    .string()
    .regex(/^\d+(\.\d+)?(ms|s|m|h|d)?$/, 'must be a duration such as 500ms, 30s, 5m, 1h or 7d')
    .transform((v) => {
      const [, amount, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(v)!;
      return Math.round(Number(amount) * units[unit ?? bareUnit]!);
    });
}

const timeForms =
  'must be "now", an ISO 8601 date (2025-01-01, midnight UTC) or date-time with a zone ' +
  '(2025-01-01T08:30:00Z, 2025-01-01T14:00:00+05:30), epoch milliseconds, or an offset such as -7d';

/**
 * `now`, an offset from now such as `-7d` or `-12h`, or an instant in core's strict forms (which
 * refuse what Date.parse would bend: a time without a zone, 30 February). Gives epoch ms.
 */
export function timeFlag(now: number) {
  return z.string().transform((v, ctx) => {
    if (v === 'now') return now;
    const offset = /^([+-])(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(v);
    if (offset)
      return now + (offset[1] === '-' ? -1 : 1) * Math.round(Number(offset[2]) * units[offset[3]!]!);
    const instant = parseInstant(v);
    if (instant.ok) return instant.ms;
    // A malformed value gets the full list of forms; a well-formed one that cannot be, the reason.
    ctx.addIssue({
      code: 'custom',
      message: instant.problem === `must be ${instantForms}` ? timeForms : instant.problem,
    });
    return z.NEVER;
  });
}

export function intFlag(min: number, max: number) {
  return z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
}

export function numberFlag(min: number, max: number) {
  return z.coerce
    .number({ error: 'must be a number' })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
}

export const qosFlag = z.enum(['0', '1'], 'must be 0 or 1').transform((v) => Number(v) as 0 | 1);

export const urlFlag = z.url('must be a URL');

/** `split-ac=2,refrigerator=1`: relative shares of the models in the fleet. */
export const modelMixFlag = z.string().transform((v, ctx) => {
  const mix: Partial<Record<DeviceModel, number>> = {};
  for (const part of v.split(',').filter(Boolean)) {
    const [name, weight = '1'] = part.split('=');
    if (!(deviceModels as readonly string[]).includes(name!) || !(Number(weight) > 0)) {
      ctx.addIssue({ code: 'custom', message: `expected model=weight pairs of ${deviceModels.join(', ')}` });
      return z.NEVER;
    }
    mix[name as DeviceModel] = Number(weight);
  }
  return mix;
});
