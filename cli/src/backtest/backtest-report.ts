import type { ArmFigures, ArmResult, DispatchComparisonFigures } from './backtest-types.ts';

/** The issue's aims for the models arm and the dispatch planner. */
export const aims = {
  caughtPct: 80,
  medianLeadDays: 5,
  falseTicketPct: 20,
  slaMet: 95,
  partsFirstVisit: 90,
  travelReductionPct: 15,
} as const;

export interface BacktestReport {
  seed: number;
  devices: number;
  days: number;
  from: string;
  to: string;
  /** The models arm's headline figures (counts, days, and percentages 0–100). */
  failures: number;
  failuresHappened: number;
  caught: number;
  caughtPct: number | null;
  medianLeadDays: number | null;
  falseTickets: number;
  falseTicketPct: number | null;
  slaMet: number | null;
  partsFirstVisit: number | null;
  travelKm: number;
  model: ArmFigures;
  baseline: ArmFigures;
  /** Planner vs greedy rule on the models arm's own days. */
  dispatch: DispatchComparisonFigures;
  aimsMet: Record<keyof typeof aims, boolean>;
  run: {
    backend: string;
    trainingSeed: number;
    trainingFleet: string;
    modelsCached: boolean;
    trainingSeconds: number;
    armSeconds: { model: number; baseline: number };
    wallSeconds: number;
    scoreEveryHours: number;
    /** Non-urgent predictive work waited for the evening route fill (`--predictive-route-fill`). */
    predictiveRouteFill: boolean;
    /** CPU seconds per phase in each arm's process. */
    cpuSeconds: { model: Record<string, number>; baseline: Record<string, number> };
    /** Where the run's databases were kept (`--data-dir`, or the temp folder with `--keep-data`); null when removed. */
    dataDir: string | null;
  };
}

export function backtestReport(input: {
  seed: number;
  devices: number;
  days: number;
  model: ArmResult;
  baseline: ArmResult;
  run: BacktestReport['run'];
}): BacktestReport {
  const m = input.model.figures;
  const d = input.model.dispatch!;
  const atLeast = (x: number | null, aim: number) => x !== null && x >= aim;
  return {
    seed: input.seed,
    devices: input.devices,
    days: input.days,
    from: new Date(input.model.start).toISOString(),
    to: new Date(input.model.end).toISOString(),
    failures: m.failures,
    failuresHappened: m.failuresHappened,
    caught: m.caught,
    caughtPct: m.caughtPct,
    medianLeadDays: m.medianLeadDays,
    falseTickets: m.falseTickets,
    falseTicketPct: m.falseTicketPct,
    slaMet: m.slaMet,
    partsFirstVisit: m.partsFirstVisit,
    travelKm: m.travelKm,
    model: m,
    baseline: input.baseline.figures,
    dispatch: d,
    aimsMet: {
      caughtPct: atLeast(m.caughtPct, aims.caughtPct),
      medianLeadDays: atLeast(m.medianLeadDays, aims.medianLeadDays),
      falseTicketPct: m.falseTicketPct !== null && m.falseTicketPct < aims.falseTicketPct,
      slaMet: atLeast(m.slaMet, aims.slaMet),
      partsFirstVisit: atLeast(m.partsFirstVisit, aims.partsFirstVisit),
      travelReductionPct:
        atLeast(d.travelReductionPct, aims.travelReductionPct) && d.planner.slaMetPct >= d.greedy.slaMetPct,
    },
    run: input.run,
  };
}

const num = (x: number | null, unit = '') => (x === null ? '—' : `${x.toLocaleString('en')}${unit}`);
const mark = (ok: boolean) => (ok ? 'met' : 'missed');
const fillPlaced = (f: ArmFigures['routeFill']) => `${num(f.filled)} / ${num(f.lastChance)} / ${num(f.late)}`;

const belowGreedy = (f: { travelReductionPct: number | null }) =>
  f.travelReductionPct === null ? '—' : `${num(f.travelReductionPct, '%')} below greedy`;

/** The report as a table for a person. */
export function formatReport(r: BacktestReport): string {
  const m = r.model;
  const b = r.baseline;
  const rows: [string, string, string, string][] = [
    ['failures due in the window', num(m.failures), num(b.failures), ''],
    ['  of which happened', num(m.failuresHappened), num(b.failuresHappened), ''],
    [
      'caught before failing',
      `${num(m.caught)} (${num(m.caughtPct, '%')})`,
      `${num(b.caught)} (${num(b.caughtPct, '%')})`,
      `≥ ${aims.caughtPct}%: ${mark(r.aimsMet.caughtPct)}`,
    ],
    [
      'median lead (ticket → failure)',
      num(m.medianLeadDays, ' d'),
      num(b.medianLeadDays, ' d'),
      `≥ ${aims.medianLeadDays} d: ${mark(r.aimsMet.medianLeadDays)}`,
    ],
    ['predictive tickets opened', num(m.predictiveTickets.opened), num(b.predictiveTickets.opened), ''],
    [
      '  false (visit found nothing)',
      `${num(m.falseTickets)} (${num(m.falseTicketPct, '%')})`,
      `${num(b.falseTickets)} (${num(b.falseTicketPct, '%')})`,
      `< ${aims.falseTicketPct}%: ${mark(r.aimsMet.falseTicketPct)}`,
    ],
    ['  late (failed before the visit)', num(m.predictiveTickets.late), num(b.predictiveTickets.late), ''],
    [
      '  cancelled by the risk policy',
      num(m.predictiveTickets.cancelled),
      num(b.predictiveTickets.cancelled),
      '',
    ],
    ['  still pending at the end', num(m.predictiveTickets.pending), num(b.predictiveTickets.pending), ''],
    [
      '  remote fixes: cleared of sent',
      `${num(m.remoteFixes.cleared)} of ${num(m.remoteFixes.sent)}`,
      `${num(b.remoteFixes.cleared)} of ${num(b.remoteFixes.sent)}`,
      '',
    ],
    [
      '  resolved remotely (no visit)',
      num(m.remoteFixes.resolvedRemotely),
      num(b.remoteFixes.resolvedRemotely),
      '',
    ],
    ['corrective tickets', num(m.correctiveTickets), num(b.correctiveTickets), ''],
    ['route fill: nearby / last day / late', fillPlaced(m.routeFill), fillPlaced(b.routeFill), ''],
    [
      '  of which predictive; released',
      `${num(m.routeFill.predictive)}; ${num(m.routeFill.released)}`,
      `${num(b.routeFill.predictive)}; ${num(b.routeFill.released)}`,
      '',
    ],
    ['AMC maintenance visits', num(m.amcVisits), num(b.amcVisits), ''],
    [
      'SLA met (first visit)',
      `${num(m.slaMet, '%')} of ${num(m.slaJobs)}`,
      `${num(b.slaMet, '%')} of ${num(b.slaJobs)}`,
      `≥ ${aims.slaMet}%: ${mark(r.aimsMet.slaMet)}`,
    ],
    [
      'part in hand on first visit',
      `${num(m.partsFirstVisit, '%')} of ${num(m.partsJobs)}`,
      `${num(b.partsFirstVisit, '%')} of ${num(b.partsJobs)}`,
      `≥ ${aims.partsFirstVisit}%: ${mark(r.aimsMet.partsFirstVisit)}`,
    ],
    [
      'visits (of which second visits)',
      `${num(m.visits)} (${num(m.revisits)})`,
      `${num(b.visits)} (${num(b.revisits)})`,
      '',
    ],
    ['technician travel', num(m.travelKm, ' km'), num(b.travelKm, ' km'), ''],
  ];
  const width = [0, 1, 2, 3].map((i) =>
    Math.max(...[['', 'models', 'rule baseline', 'aim'], ...rows].map((row) => row[i]!.length)),
  );
  const line = (row: readonly string[]) =>
    row
      .map((c, i) => c.padEnd(width[i]!))
      .join('   ')
      .trimEnd();
  const d = r.dispatch;
  return [
    `Backtest: ${r.devices} devices × ${r.days} days, seed ${r.seed} (${r.from.slice(0, 10)} → ${r.to.slice(0, 10)})`,
    '',
    line(['', 'models', 'rule baseline', 'aim']),
    ...rows.map(line),
    '',
    `Dispatch of the backtest's own ${d.jobs} visits as they came in (${d.days} working days): planner (day and place that add the least driving; AMC visits fitted the evening before into a day a technician works nearby, within the partner's AMC share) vs greedy (earliest day, nearest free qualified technician); an AMC visit goes to its site's partner under both`,
    `  travel      ${num(d.planner.travelKm, ' km')} vs ${num(d.greedy.travelKm, ' km')}  (${d.travelReductionPct === null ? '—' : d.travelReductionPct >= 0 ? `${num(d.travelReductionPct, '%')} less` : `${num(-d.travelReductionPct, '%')} more`}; aim ≥ ${aims.travelReductionPct}%: ${mark(r.aimsMet.travelReductionPct)})`,
    `  SLA met     ${num(d.planner.slaMetPct, '%')} vs ${num(d.greedy.slaMetPct, '%')}  (${d.slaGainPts >= 0 ? '+' : ''}${d.slaGainPts} pts)`,
    `  unassigned  ${d.planner.unassigned} vs ${d.greedy.unassigned}`,
    `  hindsight   ${num(d.hindsight.travelKm, ' km')}, SLA met ${num(d.hindsight.slaMetPct, '%')}  (${belowGreedy(d.hindsight)}): the same visits planned knowing all of them in advance, a bound no online rule reaches`,
    `              ${num(d.hindsightNoLater.travelKm, ' km')}, SLA met ${num(d.hindsightNoLater.slaMetPct, '%')}  (${belowGreedy(d.hindsightNoLater)}): the same, with no visit later than the planner booked it`,
    '',
    `tfjs backend ${r.run.backend}; models trained on seed ${r.run.trainingSeed} (${r.run.trainingFleet})${r.run.modelsCached ? ', from the cache' : `, trained in ${r.run.trainingSeconds} s`}; scoring every ${r.run.scoreEveryHours} h; ${r.run.predictiveRouteFill ? 'non-urgent predictive work waits for the route fill; ' : ''}${r.run.wallSeconds} s wall (arms ${r.run.armSeconds.model} s and ${r.run.armSeconds.baseline} s)${r.run.dataDir === null ? '' : `; data kept in ${r.run.dataDir}`}`,
  ].join('\n');
}
