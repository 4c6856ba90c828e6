import type { Risk } from '@aftercare/core';

/**
 * Where the scoring job hands every risk it has stored: the service side implements it (a risk
 * becomes a preventive ticket, a part reservation, a dispatch). The risks are already durable in
 * the telemetry store when it is called. A sink that throws gets the same device × component's
 * newest risk again on the next run, so it must accept a risk it has seen before.
 */
export interface RiskSink {
  acceptRisks(risks: readonly Risk[]): Promise<void>;
}
