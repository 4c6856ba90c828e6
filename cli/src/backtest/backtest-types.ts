import type { GroundTruthRecord } from '@aftercare/device-sim';

/**
 * Plain data shared by the backtest's parts: what one arm (the models, or the rule baseline, driving
 * the same service automation) is asked to do, what it records while it runs, and what it reports.
 */

export { DAY_MS, HOUR_MS } from '@aftercare/service/automation';

/** Which alarms drive the automation: the trained fleet models, or the rule baseline's tuned rules. */
export type ArmKind = 'model' | 'baseline';

export interface ArmOptions {
  kind: ArmKind;
  seed: number;
  devices: number;
  days: number;
  /** A fresh folder for this arm's service database and telemetry store. */
  dataDir: string;
  /** Data directory of the model registry holding the trained fleet models (read only). */
  modelsDir: string;
  /** Virtual hours between scoring runs. */
  scoreEveryHours: number;
  /** Non-urgent predictive work waits for the evening route fill. */
  predictiveRouteFill: boolean;
  /** Epoch ms where the warm-up history starts; the backtest proper starts `warmupDays` later. */
  warmupStart: number;
  warmupDays: number;
  logLevel: string;
}

/** A simulator failure whose failure time falls inside the backtest, and what became of it. */
export interface FailureRecord extends GroundTruthRecord {
  /** The device really stopped working (ground truth from the simulator). */
  happened: boolean;
  /** The predictive ticket whose visit repaired it before it failed. */
  preventedBy: string | null;
  /** Days from the ticket's opening to the failure it prevented. */
  leadDays: number | null;
}

export type TicketOutcome =
  /** A predictive visit repaired the failure mode it named before the device failed. */
  | 'caught'
  /** A predictive visit found the named failure mode not developing: nothing to repair. */
  | 'false'
  /** The device failed before the predictive visit: the ticket was cancelled for a corrective one. */
  | 'late'
  /** A corrective ticket's visit repaired a failed device. */
  | 'repaired'
  /** An AMC visit without predictive work folded into it: maintenance only. */
  | 'maintenance';

/** One technician visit: what travel and the dispatch comparison are computed from. */
export interface VisitRecord {
  ticketId: string;
  kind: 'predictive' | 'corrective' | 'amc_visit' | 'installation';
  technicianId: string;
  start: number;
  end: number;
  position: { lat: number; lon: number };
  skill: string | null;
  certificationRequired: boolean;
  slaDueAt: number;
  /**
   * When the dispatch planner booked this visit, and the window it was free to put it in (the
   * appointment itself when no window was recorded).
   */
  planned: { at: number; within: { start: number; end: number } };
  priority: 1 | 2 | 3 | 4;
  /** The ticket's first visit (SLA and parts are judged on it). */
  first: boolean;
  /**
   * Work the route fill gave its day: an AMC visit, or predictive work that waited for it
   * (`planned.within` is then the window it was free to go in, from its ticket's opening to the end
   * of the contract window or the SLA).
   */
  fitsRoutes: boolean;
  /**
   * Predictive work held for the route fill: when the fill hands it to the normal dispatch if no evening
   * placed it before (`ROUTE_FILL_RELEASE_DAYS` after its ticket opened).
   */
  releaseAt?: number;
  /** The part the work needs was in hand at the start (true when none is needed). */
  partInHand: boolean;
  needsPart: boolean;
}

export interface TicketRecord {
  id: string;
  kind: VisitRecord['kind'];
  deviceId: string;
  failureMode: string | null;
  createdAt: number;
  outcome: TicketOutcome | null;
}

/** Counts of the predictive tickets an arm's alarms opened, by what became of them. */
export interface PredictiveTicketCounts {
  opened: number;
  caught: number;
  false: number;
  late: number;
  /** Cancelled by the risk policy (the risk went away) before anyone travelled. */
  cancelled: number;
  /** Still waiting for their visit when the backtest ended: not judged. */
  pending: number;
  /** Caught failures whose failure time would have fallen after the end (counted true, not in `caught`). */
  caughtBeyondEnd: number;
}

/** What one arm measured, in the units the names say. */
export interface ArmFigures {
  kind: ArmKind;
  /** Failures due in the backtest's window: those that happened plus those a predictive visit prevented. */
  failures: number;
  /** Failures that really happened (the device stopped working). */
  failuresHappened: number;
  /** Failures prevented by a predictive ticket's visit. */
  caught: number;
  caughtPct: number | null;
  medianLeadDays: number | null;
  meanLeadDays: number | null;
  /** Predictive tickets whose visit found nothing to repair. */
  falseTickets: number;
  /** falseTickets ÷ predictive tickets judged (caught + false + late), × 100. */
  falseTicketPct: number | null;
  predictiveTickets: PredictiveTicketCounts;
  correctiveTickets: number;
  amcVisits: number;
  /** Tickets whose first visit started by the SLA due time, ÷ tickets with a first visit, × 100. */
  slaMet: number | null;
  slaJobs: number;
  /** First visits that needed a part and had it in hand, ÷ first visits that needed a part, × 100. */
  partsFirstVisit: number | null;
  partsJobs: number;
  /** Second and later visits, for want of the part on the first. */
  revisits: number;
  visits: number;
  /** Road km the technicians drove: home → the day's visits in order → home. */
  travelKm: number;
  travelKmPerVisit: number | null;
  /**
   * Remote troubleshooting: fixes sent to devices, those whose device cleared a developing failure,
   * and tickets resolved remotely once the risk fell (their visit called off).
   */
  remoteFixes: { sent: number; cleared: number; resolvedRemotely: number };
  /**
   * The evening route fill's runs, summed: work placed beside a day nearby, on its last working day,
   * late; of those, predictive work; and predictive work released to the normal dispatch.
   */
  routeFill: RouteFillTotals;
}

export interface RouteFillTotals {
  filled: number;
  lastChance: number;
  late: number;
  predictive: number;
  released: number;
}

export interface DispatchFigures {
  travelKm: number;
  slaMetPct: number;
  unassigned: number;
  jobs: number;
}

/** Greedy rule vs the planner booking the same stream of jobs (the visits the backtest made, as they came in). */
export interface DispatchComparisonFigures {
  days: number;
  jobs: number;
  greedy: DispatchFigures;
  planner: DispatchFigures;
  /** (greedy km − planner km) ÷ greedy km × 100. */
  travelReductionPct: number | null;
  /** Planner SLA met % − greedy SLA met %, in points. */
  slaGainPts: number;
  /**
   * A reference no online rule can reach: the same visits planned knowing all of them from the start
   * (`hindsightDispatch`), with the SLA kept wherever the planner met it.
   */
  hindsight: DispatchFigures & { travelReductionPct: number | null };
  /**
   * The same hindsight plan with no visit on a later day than the planner gave it: what knowing the
   * future saves without any customer waiting longer than the online planner makes them.
   */
  hindsightNoLater: DispatchFigures & { travelReductionPct: number | null };
}

export interface ArmResult {
  figures: ArmFigures;
  /** Computed in the models arm only. */
  dispatch: DispatchComparisonFigures | null;
  backend: string;
  /** CPU seconds of the arm's process per phase. */
  cpuSeconds: Record<string, number>;
  start: number;
  end: number;
  seconds: number;
}

/** Messages an arm's process sends its parent. */
export type ArmMessage =
  | { type: 'progress'; kind: ArmKind; day: number; days: number; phase: 'warm-up' | 'run' }
  | { type: 'backend'; kind: ArmKind; name: string; reason: string }
  | { type: 'result'; kind: ArmKind; result: ArmResult }
  | { type: 'error'; kind: ArmKind; message: string };
