import { catalog, failureMode as findFailureMode, type Logger, type Ticket } from '@aftercare/core';
import type { TelemetryStore } from '@aftercare/ingest';
import {
  defaultFixVerification,
  type FixVerification,
  type FixVerificationOptions,
  verifyFix,
} from '../automation/fix-verification.ts';
import { dailyMeans } from '../automation/running-days.ts';
import { DAY_MS } from '../automation/work.ts';
import { type CronJob, createCronJob } from './cron-job.ts';

const HOUR_MS = 3_600_000;

import { systemActor } from '../principal.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { collectPages, page } from './planning-data.ts';

export const defaultFixVerifierCron = '15 * * * *';

export interface FixVerifierOptions {
  repositories: ServiceRepositories;
  store: TelemetryStore;
  logger: Logger;
  /** node-cron expression, 5 fields or 6 with seconds first. Default hourly at minute 15. */
  cron?: string;
  cronTimezone?: string;
  clock?: () => number;
  /** Days agreed for a repair to show in telemetry before the ticket is flagged for review. Default 7. */
  observationDays?: number;
  verification?: FixVerificationOptions;
}

export interface FixVerifierRunReport {
  at: number;
  /** Resolved tickets looked at. */
  checked: number;
  verified: { ticketId: string; reason: string }[];
  flagged: { ticketId: string; reason: string }[];
  /** Still inside their observation period, no recovery seen yet. */
  pending: number;
  /** Nothing to measure them by (no failure mode) or they could not be read; they stay resolved. */
  skipped: { ticketId: string; reason: string }[];
}

export type FixVerifier = CronJob<FixVerifierRunReport>;

/** When a ticket's degradation began: its evidence's data time minus its longest driver, else when it opened. */
export function degradationOnsetAt(ticket: Ticket): number {
  const evidence = ticket.evidence;
  if (!evidence) return ticket.createdAt;
  const overDays = Math.max(0, ...evidence.drivers.map((d) => d.overDays));
  return Math.min(ticket.createdAt, evidence.dataUntil - overDays * DAY_MS);
}

/**
 * Verified fix (automation 5): on a node-cron schedule, every resolved ticket with a failure mode is
 * checked against the device's telemetry and risk (`verifyFix`): when the failure mode's signature
 * metrics came back and the risk fell, the ticket is verified ("telemetry recovered: …"); when the
 * agreed observation days passed with no measurable change, it is flagged for review ("nothing
 * measurable changed: …"), the status every ticket list and the console show. Verdicts go through
 * the ticket lifecycle, so each is one audit entry by `system:fix-verifier`; a run repeated finds
 * the decided tickets no longer resolved and changes nothing.
 */
export function createFixVerifier(options: FixVerifierOptions): FixVerifier {
  const { repositories: repos, store } = options;
  const clock = options.clock ?? Date.now;
  const observationDays = options.observationDays ?? 7;
  const settings = { ...defaultFixVerification, ...options.verification };
  const log = options.logger.child({ component: 'fix-verifier' });
  const actor = systemActor('fix-verifier');

  async function verify(ticket: Ticket, now: number): Promise<FixVerification | string> {
    if (ticket.failureMode === null || ticket.resolvedAt === null) return 'no failure mode to measure';
    const device = await repos.devices.get(ticket.deviceId);
    if (!device) return 'the device is no longer registered';
    const mode = findFailureMode(device.model, ticket.failureMode);
    if (!mode) return `${device.model} has no failure mode ${ticket.failureMode}`;
    const onsetAt = degradationOnsetAt(ticket);
    const endsAt = ticket.resolvedAt + observationDays * DAY_MS;
    const metrics = [...new Set(mode.signature.map((s) => s.metric))];
    const running = catalog[device.model].running;
    // Hourly, so that a machine which cycles is judged on the hours it ran (see dailyMeans).
    const [window] = await store.windows({
      deviceIds: [ticket.deviceId],
      metrics: running ? [...new Set([...metrics, running.metric])] : metrics,
      from: onsetAt - (settings.baselineDays + 1) * DAY_MS,
      to: Math.min(now, endsAt) + DAY_MS,
      stepMs: HOUR_MS,
    });
    const series = dailyMeans(window ?? { ts: [], values: {} }, metrics, running);
    const risks = await store.risks({
      deviceIds: [ticket.deviceId],
      ...(ticket.component ? { component: ticket.component } : {}),
      from: onsetAt - 30 * DAY_MS,
      to: now + 1,
    });
    return verifyFix(
      {
        ticket: {
          ticketId: ticket.id,
          model: device.model,
          failureMode: mode.id,
          resolvedAt: ticket.resolvedAt,
          observationDays,
        },
        onsetAt,
        series,
        risk: risks.map((r) => ({ at: r.scoredAt, pFail: r.pFail })),
        now,
      },
      settings,
    );
  }

  async function run(now: number): Promise<FixVerifierRunReport> {
    const report: FixVerifierRunReport = {
      at: now,
      checked: 0,
      verified: [],
      flagged: [],
      pending: 0,
      skipped: [],
    };
    const resolved = await collectPages((offset) =>
      repos.tickets.list({ status: ['resolved'], limit: page, offset }),
    );
    for (const ticket of resolved) {
      report.checked++;
      const tlog = log.child({ ticketId: ticket.id, deviceId: ticket.deviceId });
      try {
        const verdict = await verify(ticket, now);
        if (typeof verdict === 'string') {
          report.skipped.push({ ticketId: ticket.id, reason: verdict });
          continue;
        }
        if (verdict.outcome === 'pending') {
          report.pending++;
          continue;
        }
        const verified = verdict.outcome === 'verified';
        const reason = verified
          ? `telemetry recovered: ${verdict.reason}`
          : `nothing measurable changed: ${verdict.reason}`;
        await repos.tickets.transition(
          ticket.id,
          { to: verified ? 'verified' : 'flagged_for_review', reason, expectedVersion: ticket.version },
          actor,
        );
        (verified ? report.verified : report.flagged).push({ ticketId: ticket.id, reason });
        tlog.info({ riskBefore: verdict.riskBefore, riskAfter: verdict.riskAfter }, reason);
      } catch (err) {
        // One ticket that cannot be read or moved (changed meanwhile) waits for the next run.
        tlog.warn({ err }, 'fix not verified this run');
        report.skipped.push({
          ticketId: ticket.id,
          reason: err instanceof Error ? err.message : String(err),
        });
      }
    }
    return report;
  }

  return createCronJob({
    name: 'aftercare-fix-verifier',
    label: 'fix verifier',
    expression: options.cron ?? defaultFixVerifierCron,
    example: defaultFixVerifierCron,
    ...(options.cronTimezone ? { timezone: options.cronTimezone } : {}),
    clock,
    logger: log,
    run,
    summary: (report) => ({
      checked: report.checked,
      verified: report.verified.length,
      flagged: report.flagged.length,
      pending: report.pending,
      skipped: report.skipped.length,
    }),
    doneMessage: 'fixes verified',
    startFields: { observationDays },
  });
}
