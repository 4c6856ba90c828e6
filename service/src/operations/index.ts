/**
 * The application layer of the automation: loads what the pure planners need through the
 * repositories, calls them, and writes their decisions back through the repositories.
 */

export {
  type AmcRouteFill,
  type AmcRouteFillOptions,
  type AmcRouteFillReport,
  createAmcRouteFill,
  defaultRouteFillCron,
  routeFillActor,
  routeFillReleaseActor,
} from './amc-route-fill.ts';
export {
  type AmcRunReport,
  type AmcScheduler,
  type AmcSchedulerOptions,
  createAmcScheduler,
  defaultAmcCron,
} from './amc-scheduler.ts';
export {
  CORRECTIVE_NOTICE_MS,
  CORRECTIVE_PLAN_AHEAD_DAYS,
  type CorrectiveDispatch,
  type CorrectiveDispatchOptions,
  type CorrectiveDispatchReport,
  correctiveDispatchActor,
  correctiveWindow,
  correctiveWork,
  createCorrectiveDispatch,
  defaultCorrectiveDispatchCron,
  planCorrectiveTicket,
} from './corrective-dispatch.ts';
export {
  type DemoFleetDevice,
  type DemoSeedCounts,
  type DemoSeedResult,
  demoAccounts,
  type SeedDemoWorldOptions,
  seedDemoWorld,
} from './demo-seed.ts';
export {
  type DemoHistoryFailure,
  type DemoHistoryResult,
  hasDemoHistory,
  type SeedDemoHistoryOptions,
  seedDemoHistory,
} from './demo-seed-history.ts';
export { type DemoTechnicianWork, ensureDemoTechnicianWork } from './demo-seed-technician.ts';
export { dispatchDayView, SLOT_TOLERANCE_MINUTES } from './dispatch-day.ts';
export {
  type DispatchOptions,
  type DispatchOutcome,
  type DispatchRequest,
  dispatchTicket,
} from './dispatch-ticket.ts';
export {
  createFixVerifier,
  defaultFixVerifierCron,
  type FixVerifier,
  type FixVerifierOptions,
  type FixVerifierRunReport,
} from './fix-verifier.ts';
export type { PartMove } from './parts-follow-technician.ts';
export { type AmcCalendarRequest, amcCalendar, visitRisk } from './planning-amc.ts';
export { collectPages, PlanningData } from './planning-data.ts';
export { previewMove, type ReplanRequest, replanDay } from './planning-dispatch-moves.ts';
export { partsShortfall, stockOverview } from './planning-parts.ts';
export { type ReassignInput, type Reassignment, reassignTicket } from './reassign-ticket.ts';
export {
  type CommandPublisher,
  createRemoteTroubleshooting,
  defaultAnswerTimeoutMs,
  type RemoteResolution,
  type RemoteTroubleshooting,
  type RemoteTroubleshootingOptions,
} from './remote-commands.ts';
export { applicableCommands, decideRemoteFix, okAnswerTo, remoteFixOf } from './remote-fixes.ts';
export { withRemoteTroubleshooting } from './remote-risk-sink.ts';
export {
  createRiskSink,
  type RiskAutomation,
  type RiskHandling,
  type RiskSinkOptions,
} from './risk-sink.ts';
export { heldPredictiveWindow } from './route-fill-wait.ts';
export { sourceTicketPart } from './source-ticket-part.ts';
export type { PartOutcome, PartRequest } from './ticket-part-sourcing.ts';
export { raiseTicketPriority } from './ticket-priority.ts';
export {
  DispatchThrottle,
  ensureTicketWork,
  type TicketWorkContext,
  type TicketWorkReport,
} from './ticket-work.ts';
