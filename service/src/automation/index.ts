/**
 * The service automation: pure functions over plain data that turn risk into work. The service feeds
 * them from its tables and writes their decisions back; nothing here touches I/O.
 */

export { areaOf, chennaiMetro, hashString, type MetroRegion, mixSeed } from '@aftercare/core';
export {
  type AmcContract,
  type AmcSchedule,
  type AmcScheduleOptions,
  type AmcVisit,
  type AmcVisitRisk,
  type AmcVisitStatus,
  amcVisitsFor,
  type BookedMinutes,
  defaultAmcVisit,
  type PartnerAmcCapacity,
  partnerAmcCapacity,
  type RenewalDue,
  renewalsDue,
  type ScheduledAmcVisit,
  scheduleAmcVisits,
  visitsAtRisk,
  weekdayOf,
} from './amc-schedule.ts';
export {
  type AmcPlan,
  amcPlans,
  type DemoAmcContract,
  type DemoCustomer,
  type DemoSite,
  type DemoWorld,
  type DemoWorldOptions,
  type DeviceAssignment,
  type FleetDevice,
  generateDemoWorld,
} from './demo-world.ts';
export { compareDispatch, type DispatchComparison } from './dispatch-compare.ts';
export { type DayOption, rankDayOptions } from './dispatch-day-choice.ts';
export {
  type DispatchDayOptions,
  type GeneratedDispatchDay,
  type GeneratedJob,
  type GeneratedJobKind,
  generateDispatchDay,
} from './dispatch-day-generator.ts';
export { greedyDispatch } from './dispatch-greedy.ts';
export { type HindsightOptions, hindsightDispatch } from './dispatch-hindsight.ts';
export { defaultImprovementRounds, type PlanDispatchOptions, planDispatch } from './dispatch-plan.ts';
export {
  BALANCE_KM_PER_HOUR2,
  SLA_MISS_PENALTY_KM,
  UNASSIGNED_PENALTY_KM,
} from './dispatch-problem.ts';
export { type DispatchEvent, type ReplanResult, replan } from './dispatch-replan.ts';
export {
  replayDispatchStream,
  type StreamBooking,
  type StreamJob,
  type StreamOptions,
  type StreamOutcome,
} from './dispatch-stream.ts';
export {
  type DispatchDay,
  type DispatchJob,
  type DispatchMetrics,
  type DispatchPlan,
  isQualified,
  type PlannedStop,
  type SkillQualification,
  type Technician,
  type TechnicianRoute,
  type UnassignedJob,
  type UnassignedReason,
} from './dispatch-types.ts';
export {
  type DailyValue,
  defaultFixVerification,
  type FixVerification,
  type FixVerificationInput,
  type FixVerificationOptions,
  type MetricRecovery,
  type ResolvedTicket,
  verifyFix,
} from './fix-verification.ts';
export {
  driveMinutes,
  EARTH_RADIUS_KM,
  haversineKm,
  type Position,
  ROAD_FACTOR,
  roadKm,
  URBAN_SPEED_KMH,
} from './geo.ts';
export {
  computeKpiSet,
  computeKpis,
  type FailureRecord,
  type FeedbackRecord,
  type KpiOptions,
  type KpiRecords,
  type KpiReport,
  type KpiSet,
  monthKey,
  type PartsRequestRecord,
  type TicketKind,
  type TicketRecord,
  type WorkingTimeRecord,
} from './kpis.ts';
export {
  defaultSourcing,
  defaultTransferLead,
  type PartsDecision,
  type PartsJob,
  type PartsPlan,
  planParts,
  type SourcingOptions,
  type StockLocation,
  type StockLocationKind,
  sourceLocationOf,
  sourcePart,
  type TransferLead,
} from './parts-sourcing.ts';
export {
  defaultRemoteRecovery,
  judgeRemoteRecovery,
  type RecoveredMetric,
  type RemoteRecovery,
  type RemoteRecoveryInput,
  type RemoteRecoveryOptions,
} from './remote-recovery.ts';
export {
  decideRiskAction,
  defaultRiskThresholds,
  MIN_NOTICE_HOURS,
  type OpenPredictiveTicket,
  type PredictiveTicketPlan,
  predictiveTicketPlan,
  RESPONSE_HOURS,
  type RequiredWork,
  type RiskDecision,
  type RiskPolicyInput,
  type RiskScore,
  type RiskThresholds,
  requiredWork,
  riskPriority,
  type UpcomingAmcVisit,
} from './risk-policy.ts';
export {
  type FillCandidate,
  type FillPlacement,
  fillDay,
  laterWorkingDayLeft,
  ROUTE_FILL_FREE_KM,
  ROUTE_FILL_HOUR,
  ROUTE_FILL_MAX_SHARE,
  ROUTE_FILL_RELEASE_DAYS,
  releasedFromFill,
} from './route-fill.ts';
export { SeededRandom } from './seeded-random.ts';
export {
  generateServiceNetwork,
  NETWORK_WORKING_WEEKDAYS,
  type PartnerKind,
  type ServiceNetwork,
  type ServiceNetworkOptions,
  type ServicePartner,
} from './service-network.ts';
export { type PartClass, partClassFor, type SparePart, spareParts } from './spare-parts.ts';
export {
  DAY_MS,
  HOUR_MS,
  localDayStart,
  MINUTE_MS,
  type Priority,
  priorityWeight,
  type TimeWindow,
} from './work.ts';
