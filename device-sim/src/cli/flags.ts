import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  brokerUrlSchemes,
  type DeviceModel,
  deviceModels,
  type FlagDefault,
  httpUrlSchemes,
  instantForms,
  isUrlWith,
  parseInstant,
  schemeList,
} from '@aftercare/core';
import { z } from '../zod.ts';

export {
  type CommandSpec,
  type FlagDefault,
  type FlagSpec,
  helpText,
  intFlag,
  numberFlag,
  numberFromText,
  parseCommand,
} from '@aftercare/core';

/**
 * The default of a flag from an environment variable, with the variable's name so that a bad value
 * is blamed on it, not on a flag the user never typed. Set but blank counts as unset, as in core's
 * config; then `fallback` applies.
 */
export function fromEnv(
  env: Readonly<Record<string, string | undefined>>,
  variable: string,
  fallback?: string,
  value: (raw: string) => string = (raw) => raw,
): FlagDefault {
  const raw = env[variable];
  return raw !== undefined && raw.trim() !== '' ? { value: value(raw), from: variable } : fallback;
}

/**
 * The defaults both `run` and `load` take from the platform's environment: where its API and broker
 * listen, the admin token, and the data directory the devices' secrets are kept in.
 */
export function platformDefaults(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, FlagDefault> {
  return {
    api: fromEnv(env, 'AFTERCARE_HTTP_PORT', 'http://127.0.0.1:3000', (port) => `http://127.0.0.1:${port}`),
    token: fromEnv(env, 'AFTERCARE_ADMIN_TOKEN'),
    mqtt:
      fromEnv(env, 'AFTERCARE_MQTT_URL') ??
      fromEnv(env, 'AFTERCARE_MQTT_PORT', 'mqtt://127.0.0.1:1883', (port) => `mqtt://127.0.0.1:${port}`),
    'data-dir': fromEnv(env, 'AFTERCARE_DATA_DIR', './data'),
  };
}

/** Where a flag's value came from, for messages after parsing: the flag, or the variable behind its default. */
export function sourceOf(
  argv: readonly string[],
  flag: string,
  defaults: Record<string, FlagDefault>,
): string {
  const given = argv.some((arg) => arg === `--${flag}` || arg.startsWith(`--${flag}=`));
  const fallback = defaults[flag];
  return !given && typeof fallback === 'object' && fallback.value !== undefined ? fallback.from : `--${flag}`;
}

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

export const qosFlag = z.enum(['0', '1'], 'must be 0 or 1').transform((v) => Number(v) as 0 | 1);

/** A URL with one of `schemes` that names a host, as core's config takes its URLs. */
function urlFlag(schemes: readonly string[], example: string) {
  return z
    .string()
    .refine(
      (value) => isUrlWith(value, schemes),
      `must be a URL with ${schemeList(schemes)} and a host, e.g. "${example}"`,
    );
}

export const apiUrlFlag = urlFlag(httpUrlSchemes, 'http://127.0.0.1:3000');
export const mqttUrlFlag = urlFlag(brokerUrlSchemes, 'mqtt://127.0.0.1:1883');

/**
 * A directory the simulator keeps its files in (sim-secrets.json): one it can write in, or one it
 * can create. Checked before anything starts, so that a file given by mistake fails in a moment with
 * one line instead of a stack after the devices were provisioned.
 */
export const dataDirFlag = z.string().superRefine((path, ctx) => {
  const problem = dataDirProblem(path);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

function dataDirProblem(path: string): string | undefined {
  const target = resolve(path);
  // The nearest part of the path that exists decides: it must be a directory we may write in.
  let dir = target;
  for (;;) {
    try {
      if (!statSync(dir).isDirectory())
        return dir === target ? 'must be a directory, not a file' : `cannot be created: ${dir} is a file`;
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(dir) === dir)
        return `cannot be used: ${code ?? (err as Error).message}`;
      dir = dirname(dir);
    }
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    return dir === target
      ? 'must be a directory the simulator may write in: permission denied'
      : `cannot be created in ${dir}: permission denied`;
  }
  return undefined;
}

/** `split-ac=2,refrigerator=1`: relative shares of the models in the fleet. */
export const modelMixFlag = z.string().transform((v, ctx) => {
  const mix: Partial<Record<DeviceModel, number>> = {};
  const parts = v.split(',').filter(Boolean);
  for (const part of parts) {
    const [name, weight = '1'] = part.split('=');
    if (!(deviceModels as readonly string[]).includes(name!) || !(Number(weight) > 0)) {
      ctx.addIssue({ code: 'custom', message: `expected model=weight pairs of ${deviceModels.join(', ')}` });
      return z.NEVER;
    }
    mix[name as DeviceModel] = Number(weight);
  }
  // An empty mix would give no model a share: refused here, as a flag error, not later as a crash.
  if (parts.length === 0) {
    ctx.addIssue({
      code: 'custom',
      message: `must name at least one model of ${deviceModels.join(', ')}, e.g. split-ac=2,refrigerator=1`,
    });
    return z.NEVER;
  }
  return mix;
});
