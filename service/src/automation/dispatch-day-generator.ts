import {
  catalog,
  type DeviceModel,
  type FailureModeSpec,
  mixSeed,
  onLand,
  randomPointInDisc,
} from '@aftercare/core';
import type { DispatchDay, DispatchJob } from './dispatch-types.ts';
import { SeededRandom } from './seeded-random.ts';
import type { ServiceNetwork } from './service-network.ts';
import { partClassFor } from './spare-parts.ts';
import { DAY_MS, MINUTE_MS, type Priority } from './work.ts';

/**
 * A realistic working day for a service network: predictive repairs, customer-reported breakdowns and
 * AMC visits spread over the metro, with the catalogue's skills, certifications and repair times, SLA due
 * times by priority, and appointment windows on about half the jobs. Seeded: the same seed and network
 * give the same day, so both planners can be measured on it.
 */

export type GeneratedJobKind = 'predictive' | 'corrective' | 'amc_visit';

export interface GeneratedJob extends DispatchJob {
  kind: GeneratedJobKind;
  model: DeviceModel;
  /** Null for AMC visits. */
  failureMode: string | null;
  sku: string | null;
}

export interface GeneratedDispatchDay extends DispatchDay {
  jobs: GeneratedJob[];
}

export interface DispatchDayOptions {
  seed: number;
  network: ServiceNetwork;
  /** Local midnight of the day (epoch ms). */
  dayStart: number;
  jobs?: number;
  /** Technicians off that day. */
  techniciansOff?: number;
}

/** The simulator's default model mix: what AMC customers typically own. */
const modelMix: readonly (readonly [DeviceModel, number])[] = [
  ['split-ac', 0.35],
  ['refrigerator', 0.25],
  ['water-purifier', 0.2],
  ['washing-machine', 0.2],
];

/** Filters and capacitors fail far more often than compressors. */
const classFrequency = { consumable: 1.5, component: 1, major: 0.35 } as const;

/** Appointment windows offered to customers, local minutes after midnight. */
const windows: readonly (readonly [number, number])[] = [
  [540, 780],
  [780, 1020],
  [540, 660],
  [660, 780],
  [780, 900],
  [900, 1020],
];

export function generateDispatchDay(options: DispatchDayOptions): GeneratedDispatchDay {
  const { network, dayStart } = options;
  const rng = new SeededRandom(mixSeed(options.seed, 0xd15, Math.floor(dayStart / DAY_MS)));
  const at = (minute: number) => dayStart + Math.round(minute) * MINUTE_MS;
  const jobs: GeneratedJob[] = [];
  const count = options.jobs ?? 100;
  for (let i = 0; i < count; i++) {
    const kind = rng.weighted<GeneratedJobKind>([
      ['predictive', 0.4],
      ['corrective', 0.35],
      ['amc_visit', 0.25],
    ]);
    const model = rng.weighted(modelMix);
    const position = onLand(
      network.region,
      randomPointInDisc(rng, network.region.center, network.region.radiusKm),
    );
    const id = `job-${String(i + 1).padStart(3, '0')}`;
    let priority: Priority;
    let slaMinute: number;
    if (kind === 'corrective') {
      priority = rng.weighted<Priority>([
        [1, 0.2],
        [2, 0.45],
        [3, 0.35],
      ]);
      slaMinute =
        priority === 1
          ? rng.uniform(630, 780)
          : priority === 2
            ? rng.uniform(720, 1020)
            : rng.uniform(1440, 2000);
    } else if (kind === 'predictive') {
      priority = rng.weighted<Priority>([
        [2, 0.3],
        [3, 0.45],
        [4, 0.25],
      ]);
      slaMinute =
        priority === 2
          ? rng.uniform(780, 1080)
          : priority === 3
            ? rng.uniform(1000, 2000)
            : rng.uniform(2000, 6000);
    } else {
      priority = 4;
      slaMinute = rng.uniform(1440, 10_000);
    }
    const slot = rng.chance(0.45) ? rng.pick(windows) : null;
    if (slot && slot[0] > slaMinute - 60) slaMinute = slot[1];
    const window = slot ? { start: at(slot[0]), end: at(slot[1]) } : null;
    if (kind === 'amc_visit') {
      const devices = rng.intBetween(1, 3);
      jobs.push({
        id,
        kind,
        model,
        failureMode: null,
        sku: null,
        position,
        skill: 'general_service',
        certificationRequired: false,
        durationMinutes: 20 + 25 * devices,
        slaDueAt: at(slaMinute),
        window,
        priority,
      });
      continue;
    }
    const mode = rng.weighted<FailureModeSpec>(
      catalog[model].failureModes.map((f) => [f, classFrequency[partClassFor(f.repairMinutes)]] as const),
    );
    jobs.push({
      id,
      kind,
      model,
      failureMode: mode.id,
      sku: mode.part,
      position,
      skill: mode.skill,
      certificationRequired: mode.certificationRequired,
      durationMinutes: mode.repairMinutes,
      slaDueAt: at(slaMinute),
      window,
      priority,
    });
  }
  const off = new Set(
    rng.shuffled(network.technicians.map((t) => t.id)).slice(0, options.techniciansOff ?? 1),
  );
  return {
    dayStart,
    technicians: network.technicians.map((t) => ({ ...t, available: t.available && !off.has(t.id) })),
    jobs,
  };
}
