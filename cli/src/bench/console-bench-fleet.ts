import { catalog, metricSpec, type Risk, Rng } from '@aftercare/core';
import type { DeviceSpec } from '@aftercare/device-sim';
import { writeSimulatedTelemetry } from '../models/sim-history.ts';
import type { RunningPlatform } from '../platform.ts';

/*
 * The fleet the console speed bench measures: devices registered as provisioning does, risks as a
 * scoring run stores them, and a year of simulated hourly telemetry for the device the pages show.
 */

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** Risks as a scoring run leaves them: most components low, some worth watching, a few at risk or failed. */
export function fleetRisks(
  specs: readonly DeviceSpec[],
  scoredAt: number,
  shownId: string,
  seed: number,
): Risk[] {
  const rng = new Rng(seed);
  const random = () => rng.next();
  const risks: Risk[] = [];
  for (const spec of specs) {
    for (const mode of catalog[spec.model].failureModes) {
      const roll = random();
      const shown = spec.id === shownId && mode === catalog[spec.model].failureModes[0];
      // ~0.5 % failed, ~3 % at risk, ~8 % watch, the rest low.
      const pFail = shown
        ? 0.74
        : roll < 0.005
          ? 0.9 + random() * 0.1
          : roll < 0.035
            ? 0.5 + random() * 0.4
            : roll < 0.115
              ? 0.2 + random() * 0.3
              : random() * 0.2;
      const failed = !shown && roll < 0.005;
      const daysLeft = failed ? 0 : pFail >= 0.5 ? Math.round((1 + random() * 12) * 10) / 10 : null;
      const metric = mode.signature[0]?.metric;
      const spec_ = metric ? metricSpec(spec.model, metric) : undefined;
      const drivers: Risk['drivers'] =
        pFail >= 0.2 && metric && spec_
          ? [
              {
                metric,
                label: spec_.label,
                unit: spec_.unit,
                change: 4.2,
                overDays: 9,
                direction: 'up',
                weight: 0.6,
                text: `${spec_.label} +4.2 ${spec_.unit} over 9 days`,
              },
            ]
          : [];
      risks.push({
        deviceId: spec.id,
        model: spec.model,
        component: mode.component,
        failureMode: mode.id,
        pFail: Math.round(pFail * 1000) / 1000,
        daysLeft,
        horizonDays: 14,
        modelVersion: `${spec.model}@bench`,
        scoredAt,
        dataUntil: scoredAt - 60_000,
        drivers,
      });
    }
  }
  return risks;
}

/** Days of the shown device's risk history, scored as often as the scoring job scores by default. */
export const shownRiskDays = 90;
const shownScoreEveryMs = 5 * 60_000;

/**
 * The shown device's scores every five minutes (the scoring job's default) over the last
 * `shownRiskDays` days, rising to its latest: the risk history on its charts.
 */
export function riskHistory(latest: readonly Risk[], now: number): Risk[] {
  const history: Risk[] = [];
  const span = shownRiskDays * dayMs;
  for (const risk of latest) {
    for (let at = now - span; at < risk.scoredAt; at += shownScoreEveryMs) {
      const p = Math.max(0.02, risk.pFail * (1 - (risk.scoredAt - at) / span));
      history.push({ ...risk, pFail: Math.round(p * 1000) / 1000, scoredAt: at, dataUntil: at - 60_000 });
    }
  }
  return history;
}

async function mapBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Registers devices as provisioning does (a secret each, its hash stored). */
export async function register(platform: RunningPlatform, specs: readonly DeviceSpec[]) {
  await mapBounded(specs, 16, (spec) =>
    platform.registry.provision({
      id: spec.id,
      model: spec.model,
      serial: spec.serial,
      location: spec.location,
      installedAt: new Date(spec.installedAt).toISOString(),
    }),
  );
}

/** A scoring run over `specs` at `scoredAt`: every device's components, stored as the job stores them. */
export async function scoreRun(
  platform: RunningPlatform,
  specs: readonly DeviceSpec[],
  scoredAt: number,
  shownId: string,
) {
  const risks = fleetRisks(specs, scoredAt, shownId, specs.length);
  for (let i = 0; i < risks.length; i += 5000) await platform.store.writeRisks(risks.slice(i, i + 5000));
  return risks;
}

/** The device shown: a year of hourly telemetry (compacted as the platform does), its risk history. */
export async function writeShownHistory(
  platform: RunningPlatform,
  shown: DeviceSpec,
  risks: readonly Risk[],
  now: number,
) {
  const written = await writeSimulatedTelemetry(
    platform.store,
    [shown],
    now - 365 * dayMs,
    Math.floor(now / hourMs) * hourMs,
  );
  const history = riskHistory(
    risks.filter((r) => r.deviceId === shown.id),
    now,
  );
  for (let i = 0; i < history.length; i += 5000) await platform.store.writeRisks(history.slice(i, i + 5000));
  // What the running platform does every ten minutes: raw data past retention rolled up hourly, risks
  // past it kept as the daily rollup.
  await platform.store.compact(now);
  return { samples: written.samples, scores: history.length };
}
