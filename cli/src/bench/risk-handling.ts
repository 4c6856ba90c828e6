import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, Risk } from '@aftercare/core';
import type { DeviceSpec } from '@aftercare/device-sim';
import {
  createDatabase,
  createRiskSink,
  createServiceRepositories,
  type RiskHandling,
  seedDemoWorld,
} from '@aftercare/service';
import { demoFleetDevices, registerFleet } from '../fleet-world.ts';
import { measured } from './measured.ts';
import { type BenchRow, fmt } from './table.ts';

/*
 * The service side of a scoring run at fleet scale: the risks one run of the models gave for every
 * device, handed to the real risk automation (policy, predictive tickets, parts, dispatch) on a fresh
 * SQLite service database holding the same devices and the demo world around them. A scoring run hands
 * over every risk it made, every 5 minutes by default, so what matters is that handling them takes
 * well under that, on the first run (tickets to open and plan) and on every run after it (the same
 * risks again: the work is there, little changes).
 */

/** The platform's default scoring interval. */
const NEXT_RUN_MS = 5 * 60_000;

export interface RiskRound {
  seconds: number;
  cpuSeconds: number;
  risksPerS: number;
  peakRssAddedBytes: number;
  /** What became of the risks: action (and outcome) → count. */
  outcomes: Record<string, number>;
  /** Tickets that got a technician in this round. */
  assigned: number;
  failed: number;
}

export interface RiskHandlingReport {
  devices: number;
  risks: number;
  technicians: number;
  /** Registering the devices and seeding the world around them (not measured as handling). */
  setupSeconds: number;
  first: RiskRound;
  again: RiskRound;
}

export async function benchRiskHandling(options: {
  specs: readonly DeviceSpec[];
  risks: readonly Risk[];
  /** When the risks were scored: the world is dated around it and the service's clock starts there. */
  now: number;
  logger: Logger;
  progress?: (message: string) => void;
}): Promise<RiskHandlingReport> {
  const progress = options.progress ?? (() => {});
  const dataDir = await mkdtemp(join(tmpdir(), 'aftercare-bench-service-'));
  // The service's time moves on from the scoring run as the wall clock does.
  const started = Date.now();
  const clock = () => options.now + (Date.now() - started);
  const db = await createDatabase({ dataDir });
  try {
    const repositories = createServiceRepositories(db, { clock });
    progress(
      `service: registering ${options.specs.length.toLocaleString('en')} devices and seeding the world`,
    );
    const setupStarted = performance.now();
    await registerFleet(repositories, options.specs);
    const seeded = await seedDemoWorld({
      repositories,
      devices: demoFleetDevices(options.specs),
      seed: 11,
      now: options.now,
      // Nobody logs in here; the password only has to be valid.
      demoPassword: 'bench-only-password',
      logger: options.logger,
    });
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    const sink = createRiskSink({ repositories, db, logger: options.logger, clock });
    const round = async (label: string, risks: readonly Risk[]): Promise<RiskRound> => {
      progress(`service: ${label}: ${risks.length.toLocaleString('en')} risks through the automation`);
      const run = await measured(() => sink.handleRisks(risks));
      return { ...tally(run.value), ...figures(run, risks.length) };
    };
    const first = await round('first run', options.risks);
    // The next scoring run, 5 minutes on: the same scores, newly announced and added to the history.
    const later = options.risks.map((r) => ({ ...r, scoredAt: r.scoredAt + NEXT_RUN_MS }));
    const again = await round('the same scores on the next run', later);
    return {
      devices: options.specs.length,
      risks: options.risks.length,
      technicians: seeded.created.technicians,
      setupSeconds,
      first,
      again,
    };
  } finally {
    await db.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function figures(run: { seconds: number; cpuSeconds: number; added: number }, risks: number) {
  return {
    seconds: run.seconds,
    cpuSeconds: run.cpuSeconds,
    risksPerS: risks / run.seconds,
    peakRssAddedBytes: run.added,
  };
}

function tally(handled: readonly RiskHandling[]) {
  const outcomes: Record<string, number> = {};
  let assigned = 0;
  let failed = 0;
  for (const h of handled) {
    const key = h.outcome ? `${h.action}/${h.outcome}` : h.action;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    if (h.work?.dispatch === 'assigned') assigned++;
    if (h.action === 'failed') failed++;
  }
  return { outcomes, assigned, failed };
}

/** The table's rows: both runs of the automation, beside the scoring run that made the risks. */
export function riskHandlingRows(r: RiskHandlingReport, scoringSeconds: number): BenchRow[] {
  const data = `${r.risks.toLocaleString('en')} risks of one scoring run over ${r.devices.toLocaleString('en')} devices; demo network of ${r.technicians} technicians; SQLite`;
  const outcomes = (round: RiskRound) =>
    Object.entries(round.outcomes)
      .sort((a, b) => b[1] - a[1])
      .map(([what, n]) => `${what} ${n.toLocaleString('en')}`)
      .join(', ');
  const row = (label: string, round: RiskRound): BenchRow => ({
    what: `risk automation: ${label}`,
    data,
    figure: `${fmt.rate(round.risksPerS)} risks/s, ${round.seconds.toFixed(1)} s (${round.cpuSeconds.toFixed(1)} s CPU), +${fmt.mb(round.peakRssAddedBytes)} peak RSS`,
    reference: `the scoring run that made them ${scoringSeconds.toFixed(1)} s; runs every ${NEXT_RUN_MS / 1000} s by default; ${outcomes(round)}; ${round.assigned} given a technician${round.failed > 0 ? `; ${round.failed} FAILED` : ''}`,
  });
  return [
    row('the first run of risks (tickets opened, parts, dispatch)', r.first),
    row('the same scores on the next run (work already there)', r.again),
  ];
}
