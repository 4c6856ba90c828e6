import { ValidationError } from '@aftercare/core';
import { HOLDOUT_MIN_CYCLES, type RulConfig } from '@aftercare/models';
import { inFolder } from './cmapss-data.ts';

/*
 * How many cycles each training unit needs. The splits are seeded, so any unit may be trained on,
 * early-stopped on by a member, or held out by validate: each must have what every role it can get
 * asks of it. A unit that has less gives an empty batch, on which TensorFlow fails deep inside.
 */

interface CycleNeed {
  cycles: number;
  why: string;
}

/** Where a unit that is cut must be cut: after at least `after` cycles, with at least one left. */
function cutNeed(protocol: 'life' | 'rul', after: number, who: string): CycleNeed {
  return protocol === 'rul'
    ? { cycles: after + 1, why: `${who} is cut after ${after} cycles or more, with one or more left` }
    : { cycles: 2, why: `${who} is cut before its last cycle` };
}

/** What each role asks of a unit; `heldOut` is how validate cuts the units it holds out (null: no validate). */
function cycleNeeds(config: RulConfig, heldOut: 'life' | 'rul' | null): CycleNeed[] {
  const window = {
    cycles: config.minCycles,
    why: `the first training window ends at cycle ${config.minCycles}`,
  };
  const member = 'a unit an ensemble member early-stops on';
  return [
    window,
    // 0 cuts: a member scores every window of the units it early-stops on.
    config.validationTruncations === 0 ? window : cutNeed(config.validationCuts, config.minCycles, member),
    ...(heldOut ? [cutNeed(heldOut, HOLDOUT_MIN_CYCLES, 'a held-out unit')] : []),
  ];
}

/**
 * Refuses, before any training, units too short for what the command may ask of them, naming the
 * training file, the shortest units and the fewest cycles each needs.
 */
export function requireEnoughCycles(
  config: RulConfig,
  heldOut: 'life' | 'rul' | null,
  units: readonly { unit: number; rows: readonly unknown[] }[],
  file: string,
): void {
  const need = cycleNeeds(config, heldOut).reduce((most, n) => (n.cycles > most.cycles ? n : most));
  const short = units
    .filter((u) => u.rows.length < need.cycles)
    .sort((a, b) => a.rows.length - b.rows.length);
  if (short.length === 0) return;
  const cycles = (n: number) => `${n} cycle${n === 1 ? '' : 's'}`;
  const named = short.slice(0, 3).map((u) => `unit ${u.unit}: ${cycles(u.rows.length)}`);
  const which =
    short.length === 1
      ? `unit ${short[0]!.unit} has ${cycles(short[0]!.rows.length)}`
      : `${short.length} units have fewer than ${need.cycles} cycles (${named.join(', ')}${short.length > 3 ? ', …' : ''})`;
  throw new ValidationError(
    `--dir: ${inFolder(file)}: ${which}; each unit needs at least ${need.cycles} (${need.why})`,
  );
}
