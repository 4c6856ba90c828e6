export { build, type ServiceApp, type ServiceConfig, type ServiceDeps } from './app.ts';
export {
  createDatabase,
  type DatabaseLocation,
  type ServiceDatabase,
  serviceDatabaseFile,
} from './db/database.ts';
export { migrateToLatest, migrationProvider } from './db/migrations.ts';
export type * from './db/tables.ts';
export {
  ForbiddenError,
  InsufficientStockError,
  InvalidTransitionError,
  QueryTooLargeError,
  RateLimitedError,
  StaleVersionError,
  UnauthorizedError,
} from './errors.ts';
export { EventBus, riskChangedEvent, type ServiceEventListener } from './events/event-bus.ts';
export { eventVisibleTo } from './events/event-scope.ts';
export { seedReferenceData } from './knowledge/reference-data.ts';
export * from './operations/index.ts';
export {
  type Actor,
  actorOf,
  customerScope,
  type Principal,
  systemActor,
  technicianScope,
} from './principal.ts';
export { CatalogueRepository } from './repositories/catalogue-repository.ts';
export { type ContractFilter, ContractRepository } from './repositories/contract-repository.ts';
export { ContractVisitRepository, type VisitFilter } from './repositories/contract-visit-repository.ts';
export { type CustomerFilter, CustomerRepository } from './repositories/customer-repository.ts';
export {
  type DeviceCredentials,
  type DeviceFilter,
  type DevicePage,
  DeviceRegistry,
  type ProvisionedDevice,
} from './repositories/device-registry.ts';
export { FeedbackRepository } from './repositories/feedback-repository.ts';
export { isCertified, PartnerRepository, type TechnicianFilter } from './repositories/partner-repository.ts';
export {
  type PredictiveOutcome,
  type PredictiveTicketDecision,
  PredictiveTicketRepository,
  rankOfTicketPriority,
  ticketPriorityOfRank,
} from './repositories/predictive-ticket-repository.ts';
export {
  createServiceRepositories,
  type ServiceRepositories,
  type ServiceRepositoriesOptions,
} from './repositories/service-repositories.ts';
export { type StockAvailability, StockRepository } from './repositories/stock-repository.ts';
export {
  type CommandAnswer,
  TicketCommandRepository,
} from './repositories/ticket-command-repository.ts';
export {
  type TicketFilter,
  TicketRepository,
  type TicketScope,
  type TransitionInput,
} from './repositories/ticket-repository.ts';
export {
  type ApiToken,
  hashApiToken,
  type IssuedApiToken,
  type NewApiToken,
  TokenRepository,
} from './repositories/token-repository.ts';
export { TransferRepository } from './repositories/transfer-repository.ts';
export { type Session, UserRepository } from './repositories/user-repository.ts';
export { type KpiRoutesOptions, kpiRoutes } from './routes/kpis.routes.ts';
export { type ModelCatalog, type ModelRoutesOptions, modelRoutes } from './routes/models.routes.ts';
export { type RiskRoutesOptions, riskRoutes } from './routes/risks.routes.ts';
export * from './schemas.ts';
export { type TelemetryRangeLimits, telemetryRangeLimits } from './telemetry-range.ts';
export { type ActiveContract, decideCoverage, defaultSlaHours, slaDueAt } from './tickets/coverage.ts';
export {
  activeStatuses,
  decideTransition,
  holdsOpenKey,
  nextStatuses,
  terminalStatuses,
} from './tickets/ticket-lifecycle.ts';
export { type NewTicket, openKeyOf } from './tickets/ticket-writes.ts';
