/**
 * The application layer of the automation: loads what the pure planners need through the
 * repositories, calls them, and writes their decisions back through the repositories.
 */
export {
  type AmcRunReport,
  type AmcScheduler,
  type AmcSchedulerOptions,
  createAmcScheduler,
  defaultAmcCron,
} from './amc-scheduler.ts';
export {
  type DemoFleetDevice,
  type DemoSeedCounts,
  type DemoSeedResult,
  demoAccounts,
  type SeedDemoWorldOptions,
  seedDemoWorld,
} from './demo-seed.ts';
export {
  type DispatchOptions,
  type DispatchOutcome,
  type DispatchRequest,
  dispatchTicket,
} from './dispatch-ticket.ts';
export {
  createRiskSink,
  type RiskAutomation,
  type RiskHandling,
  type RiskSinkOptions,
} from './risk-sink.ts';
export { type PartOutcome, type PartRequest, sourceTicketPart } from './source-ticket-part.ts';
export { raiseTicketPriority } from './ticket-priority.ts';
