import {
  type AvailableCommand,
  catalog,
  type DeviceModel,
  failureMode as findFailureMode,
  type Risk,
  type Ticket,
  type TicketCommand,
} from '@aftercare/core';
import type { RemoteRecovery } from '../automation/remote-recovery.ts';
import type { RiskThresholds } from '../automation/risk-policy.ts';

/*
 * Which remote commands a ticket can use, and when one of them has fixed the device: pure rules over
 * the catalogue (core's `remoteFix` per failure mode), the commands sent, the latest risk and what the
 * telemetry shows since the device answered.
 */

/** Understood by every device: it answers, so the link works; it fixes nothing. */
export const diagnosticCommands: readonly AvailableCommand[] = [
  { command: 'ping', description: 'Check that the device is online and answers commands', clears: null },
];

/**
 * The commands that apply to a ticket: the remote fix of its failure mode, or, when the failure mode
 * is not known (a customer's report), every remote fix of the device's model; and the diagnostic ping.
 * A remote fix clears a failure mode, so a visit that is no repair (an AMC service visit, an
 * installation) offers the ping only.
 */
export function applicableCommands(
  model: DeviceModel,
  ticket: Pick<Ticket, 'kind' | 'failureMode'>,
): AvailableCommand[] {
  const { failureMode } = ticket;
  if (failureMode === null && (ticket.kind === 'amc_visit' || ticket.kind === 'installation'))
    return [...diagnosticCommands];
  const modes =
    failureMode === null
      ? catalog[model].failureModes
      : [findFailureMode(model, failureMode)].filter((m) => m !== undefined);
  const fixes = modes
    .filter((m) => m.remoteFix !== null)
    .map((m) => ({
      command: m.remoteFix!,
      description: `Clears ${m.label.toLowerCase()} without a visit`,
      clears: m.id,
    }));
  return [...fixes, ...diagnosticCommands];
}

/** The remote fix to try before anyone travels for this failure mode; null when only a visit helps. */
export function remoteFixOf(model: DeviceModel, failureMode: string | null): string | null {
  if (failureMode === null) return null;
  return findFailureMode(model, failureMode)?.remoteFix ?? null;
}

export type RemoteFixDecision =
  | { resolve: true; command: TicketCommand; reason: string }
  | { resolve: false; reason: string };

/** The latest `ok` answer to the failure mode's remote fix among a ticket's commands. */
export function okAnswerTo(fix: string, commands: readonly TicketCommand[]): TicketCommand | undefined {
  return commands
    .filter((c) => c.command === fix && c.status === 'answered' && c.answerCode === 'ok')
    .sort((a, b) => (b.answeredAt ?? 0) - (a.answeredAt ?? 0))[0];
}

/**
 * Whether the remote fix worked, so that the ticket is resolved and nobody travels: the device
 * answered `ok` to the failure mode's remote fix, and then either its telemetry shows the fault
 * cleared (`judgeRemoteRecovery`: the failure mode's signature readings came back within hours) or a
 * score made after the answer is below p_close, the threshold below which the risk policy's
 * hysteresis counts a risk as gone. One of them is enough here: the device itself said it cleared the
 * fault, the data confirms it. The score alone lags: the models read days of history, so it falls
 * only as the fault's days leave their windows, hours to days after the fault is gone.
 */
export function decideRemoteFix(input: {
  model: DeviceModel;
  failureMode: string | null;
  commands: readonly TicketCommand[];
  risk: Pick<Risk, 'pFail' | 'scoredAt'>;
  thresholds: RiskThresholds;
  /** What the telemetry since the answer shows; null or left out when it was not read. */
  recovery?: RemoteRecovery | null;
}): RemoteFixDecision {
  const fix = remoteFixOf(input.model, input.failureMode);
  if (fix === null) return { resolve: false, reason: 'the failure mode has no remote fix' };
  const answered = okAnswerTo(fix, input.commands);
  if (!answered) return { resolve: false, reason: `no ok answer to ${fix} yet` };
  const pct = (p: number) => `${Math.round(p * 100)}%`;
  const said = `${fix} answered ${answered.answerCode}${answered.answerMessage ? ` (${answered.answerMessage})` : ''}`;
  const scoredAfter = input.risk.scoredAt > (answered.answeredAt ?? 0);
  if (scoredAfter && input.risk.pFail < input.thresholds.pClose)
    return {
      resolve: true,
      command: answered,
      reason: `fixed remotely: ${said} and the risk fell to ${pct(input.risk.pFail)}, below the closing threshold (${pct(input.thresholds.pClose)})`,
    };
  const recovery = input.recovery ?? null;
  if (recovery?.outcome === 'cleared')
    return {
      resolve: true,
      command: answered,
      reason: `fixed remotely: ${said} and the telemetry shows the fault cleared: ${recovery.reason}; the risk (${pct(input.risk.pFail)}) still reads the days before the fix and falls as they leave the models' windows`,
    };
  const telemetry = recovery ? `; telemetry: ${recovery.reason}` : '';
  if (!scoredAfter)
    return { resolve: false, reason: `the risk was scored before the device answered${telemetry}` };
  return {
    resolve: false,
    reason: `risk ${pct(input.risk.pFail)} still at or above the closing threshold (${pct(input.thresholds.pClose)})${telemetry}`,
  };
}
