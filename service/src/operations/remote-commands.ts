import {
  type CommandArgs,
  ConflictError,
  catalog,
  type DeviceCommand,
  type DeviceEvent,
  type DeviceModel,
  failureMode as findFailureMode,
  type Logger,
  NotFoundError,
  type Risk,
  type Ticket,
  type TicketCommand,
  type TicketCommands,
  ValidationError,
} from '@aftercare/core';
import type { TelemetryStore } from '@aftercare/ingest';
import {
  defaultRemoteRecovery,
  judgeRemoteRecovery,
  type RemoteRecovery,
  type RemoteRecoveryOptions,
} from '../automation/remote-recovery.ts';
import { defaultRiskThresholds, type RiskThresholds } from '../automation/risk-policy.ts';
import { DAY_MS, HOUR_MS } from '../automation/work.ts';
import { type Actor, systemActor } from '../principal.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import type { TicketScope } from '../repositories/ticket-repository.ts';
import { activeStatuses, remotelyResolvableStatuses } from '../tickets/ticket-lifecycle.ts';
import { degradationOnsetAt } from './fix-verifier.ts';
import { applicableCommands, decideRemoteFix, okAnswerTo, remoteFixOf } from './remote-fixes.ts';

/**
 * The downlink to devices: `aftercare/{deviceId}/commands`. Adapters live in the wiring (the embedded
 * broker's own publish, or an MQTT client of an external broker with a `service` login).
 */
export interface CommandPublisher {
  /** Resolves once the broker has taken the command (QoS 1); rejects when it could not. */
  publish(deviceId: string, command: DeviceCommand): Promise<void>;
}

export interface RemoteTroubleshootingOptions {
  repositories: ServiceRepositories;
  /** Null where this process has no MQTT link to the devices: commands are then refused, answers still recorded. */
  publisher: CommandPublisher | null;
  logger: Logger;
  clock?: () => number;
  /** An unanswered command times out after this long. Default 15 minutes. */
  answerTimeoutMs?: number;
  /** How often `start` looks for timed-out commands. Default a quarter of the timeout, at most a minute. */
  sweepIntervalMs?: number;
  /** Per device model, over the risk policy's defaults: p_close says when a risk has cleared. */
  thresholds?: Partial<Record<DeviceModel, RiskThresholds>>;
  /**
   * The devices' telemetry, where a remote fix is seen to clear the fault within hours
   * (`judgeRemoteRecovery`). Without it only the risk falling below p_close can show it, which takes
   * as long as the models' windows hold the fault's days: a day or more.
   */
  store?: Pick<TelemetryStore, 'windows'> | null;
  /** Over `defaultRemoteRecovery`: how the telemetry after a remote fix is judged. */
  recovery?: RemoteRecoveryOptions;
}

/** A ticket the automation resolved because its remote fix cleared the risk. */
export interface RemoteResolution {
  ticketId: string;
  deviceId: string;
  reason: string;
}

export interface RemoteTroubleshooting {
  /** The commands that apply to a ticket the scope may see, and those already sent. */
  commandsOf(ticketId: string, scope?: TicketScope): Promise<TicketCommands>;
  /** Sends a command for a ticket the scope may see; answers the record (status `failed` if the broker refused). */
  send(
    ticketId: string,
    command: { command: string; args?: CommandArgs | undefined },
    actor: Actor,
    scope?: TicketScope,
  ): Promise<TicketCommand>;
  /** A device event from ingest: a `command_result` is recorded on its ticket; anything else is ignored. */
  handleDeviceEvent(deviceId: string, event: DeviceEvent): Promise<TicketCommand | null>;
  /** Marks commands unanswered for longer than the timeout as timed_out. */
  expireUnanswered(now?: number): Promise<TicketCommand[]>;
  /**
   * Resolves the predictive tickets whose remote fix the device answered `ok` to and whose fault has
   * now cleared: its telemetry shows the failure mode's readings back, or its risk fell below p_close.
   */
  resolveCleared(risks: readonly Risk[]): Promise<RemoteResolution[]>;
  /**
   * Tries the remote fix first on predictive tickets that have one and never had it sent. The visit
   * stays planned (at least the customer's notice ahead): if the risk clears, it is called off.
   */
  tryRemoteFirst(ticketIds: readonly string[]): Promise<TicketCommand[]>;
  /** Starts the timeout sweep. */
  start(): void;
  stop(): Promise<void>;
}

export const defaultAnswerTimeoutMs = 15 * 60_000;

/**
 * A ticket whose predicted repair a remote fix may spare: a predictive ticket, or an AMC visit the
 * repair was folded into (which, once the fix holds, stays as the maintenance visit it was).
 */
function carriesRepair(ticket: Ticket): boolean {
  return ticket.kind === 'predictive' || (ticket.kind === 'amc_visit' && ticket.failureMode !== null);
}

/**
 * Remote troubleshooting (automation 6): commands offered and sent from a ticket over the device's
 * commands topic, the device's `command_result` answers recorded on the ticket, unanswered commands
 * timed out, and a predictive ticket resolved without a visit once, after a remote fix, the device's
 * telemetry shows the fault cleared (or its risk falls below p_close).
 */
export function createRemoteTroubleshooting(options: RemoteTroubleshootingOptions): RemoteTroubleshooting {
  const repos = options.repositories;
  const clock = options.clock ?? Date.now;
  const log = options.logger.child({ component: 'remote-troubleshooting' });
  const timeoutMs = options.answerTimeoutMs ?? defaultAnswerTimeoutMs;
  const automation = systemActor('remote-troubleshooting');
  const thresholdsOf = (model: DeviceModel) => options.thresholds?.[model] ?? defaultRiskThresholds[model];
  let sweep: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> = Promise.resolve();

  async function modelOf(deviceId: string): Promise<DeviceModel> {
    const device = await repos.devices.get(deviceId);
    if (!device) throw new NotFoundError('device', deviceId);
    return device.model;
  }

  async function send(
    ticketId: string,
    body: { command: string; args?: CommandArgs | undefined },
    actor: Actor,
    scope: TicketScope = {},
  ): Promise<TicketCommand> {
    const ticket = await repos.tickets.getVisible(ticketId, scope);
    const available = applicableCommands(await modelOf(ticket.deviceId), ticket);
    if (!available.some((c) => c.command === body.command))
      throw new ValidationError(
        `command: ${body.command} does not apply to this ticket (one of ${available.map((c) => c.command).join(', ')})`,
      );
    if (!activeStatuses.includes(ticket.status))
      throw new ConflictError(`the ticket is ${ticket.status}: commands are sent while its work is open`);
    if (options.publisher === null)
      throw new ConflictError(
        'commands cannot be sent from here: this process has no MQTT link to the devices',
      );
    const sent = await repos.commands.recordSent(ticket, body, actor);
    const message: DeviceCommand = {
      commandId: sent.id,
      command: sent.command,
      ...(body.args ? { args: body.args } : {}),
      ts: sent.sentAt,
    };
    const clog = log.child({ ticketId: ticket.id, deviceId: ticket.deviceId, commandId: sent.id });
    try {
      await options.publisher.publish(ticket.deviceId, message);
      clog.info({ command: sent.command, by: actor.id }, 'command sent to the device');
      return sent;
    } catch (err) {
      const reason = `the broker did not take the command: ${err instanceof Error ? err.message : String(err)}`;
      clog.warn({ err }, reason);
      return (await repos.commands.recordFailed(sent.id, reason, actor)) ?? sent;
    }
  }

  /**
   * What the device's telemetry since the answer says about the fault (`judgeRemoteRecovery`); null
   * without a store, or when it could not be read (the risk alone then decides, this time).
   */
  async function recoveryOf(
    ticket: Ticket,
    model: DeviceModel,
    answeredAt: number,
  ): Promise<RemoteRecovery | null> {
    const store = options.store;
    if (!store || ticket.failureMode === null) return null;
    const mode = findFailureMode(model, ticket.failureMode);
    if (!mode) return null;
    const now = clock();
    const onsetAt = degradationOnsetAt(ticket);
    const running = catalog[model].running;
    const metrics = [
      ...new Set([...mode.signature.map((s) => s.metric), ...(running ? [running.metric] : [])]),
    ];
    const baselineDays = options.recovery?.baselineDays ?? defaultRemoteRecovery.baselineDays;
    try {
      const [window] = await store.windows({
        deviceIds: [ticket.deviceId],
        metrics,
        // The baseline ends at the onset, or a day before the answer when the ticket dates no onset.
        from: Math.min(onsetAt, answeredAt - DAY_MS) - baselineDays * DAY_MS,
        to: now,
        stepMs: HOUR_MS,
      });
      return judgeRemoteRecovery(
        { model, failureMode: mode.id, answeredAt, onsetAt, hourly: window ?? { ts: [], values: {} }, now },
        options.recovery,
      );
    } catch (err) {
      log.warn(
        { err, ticketId: ticket.id, deviceId: ticket.deviceId },
        'the telemetry after the remote fix could not be read',
      );
      return null;
    }
  }

  async function expireUnanswered(now = clock()): Promise<TicketCommand[]> {
    const expired = await repos.commands.expireUnanswered(now - timeoutMs, automation);
    for (const c of expired)
      log.info({ ticketId: c.ticketId, deviceId: c.deviceId, commandId: c.id }, 'command timed out');
    return expired;
  }

  return {
    async commandsOf(ticketId, scope = {}) {
      const ticket = await repos.tickets.getVisible(ticketId, scope);
      return {
        available: applicableCommands(await modelOf(ticket.deviceId), ticket),
        sent: await repos.commands.listForTicket(ticket.id),
      };
    },

    send,

    async handleDeviceEvent(deviceId, event) {
      if (event.type !== 'command_result' || event.commandId === undefined) return null;
      const answer = { code: event.code, message: event.message ?? null, at: clock() };
      const recorded = await repos.commands.recordAnswer(deviceId, event.commandId, answer, automation);
      const clog = log.child({ deviceId, commandId: event.commandId });
      if (recorded) clog.info({ ticketId: recorded.ticketId, code: event.code }, 'device answered a command');
      else clog.debug('an answer to no command of this device that is still waiting; ignored');
      return recorded;
    },

    expireUnanswered,

    async resolveCleared(risks) {
      const resolutions: RemoteResolution[] = [];
      const candidates = await repos.commands.devicesAwaitingClearance();
      for (const risk of risks) {
        if (!candidates.has(risk.deviceId)) continue;
        const ticket = await repos.predictive.findOpen(risk.deviceId, risk.component);
        if (!ticket || !carriesRepair(ticket) || !remotelyResolvableStatuses.includes(ticket.status))
          continue;
        const fix = remoteFixOf(risk.model, ticket.failureMode);
        if (fix === null) continue;
        const commands = await repos.commands.listForTicket(ticket.id);
        const answered = okAnswerTo(fix, commands);
        if (!answered) continue;
        const thresholds = thresholdsOf(risk.model);
        const riskFell = risk.scoredAt > (answered.answeredAt ?? 0) && risk.pFail < thresholds.pClose;
        const decision = decideRemoteFix({
          model: risk.model,
          failureMode: ticket.failureMode,
          commands,
          risk,
          thresholds,
          recovery: riskFell ? null : await recoveryOf(ticket, risk.model, answered.answeredAt ?? clock()),
        });
        if (!decision.resolve) {
          log.debug(
            { ticketId: ticket.id, deviceId: ticket.deviceId },
            `not resolved remotely yet: ${decision.reason}`,
          );
          continue;
        }
        if (ticket.kind === 'amc_visit') {
          // The repair rode on a maintenance visit: the repair comes out, the maintenance still goes.
          // Once the technician has set off, the visit decides (the repair is checked on site).
          if (ticket.status !== 'open' && ticket.status !== 'scheduled') continue;
          await repos.predictive.unfoldPredictiveWork(ticket.id, decision.reason, automation);
        } else {
          const resolved = await repos.commands.resolveRemotely(
            ticket.id,
            {
              reason: decision.reason,
              data: { commandId: decision.command.id, command: decision.command.command, pFail: risk.pFail },
            },
            automation,
          );
          if (!resolved) continue;
        }
        log.info(
          { ticketId: ticket.id, deviceId: ticket.deviceId, previousTechnicianId: ticket.technicianId },
          decision.reason,
        );
        resolutions.push({ ticketId: ticket.id, deviceId: ticket.deviceId, reason: decision.reason });
      }
      return resolutions;
    },

    async tryRemoteFirst(ticketIds) {
      if (options.publisher === null) return [];
      const sent: TicketCommand[] = [];
      for (const id of new Set(ticketIds)) {
        const ticket = await repos.tickets.get(id);
        if (!ticket || !carriesRepair(ticket)) continue;
        if (ticket.status !== 'open' && ticket.status !== 'scheduled') continue;
        const fix = remoteFixOf(await modelOf(ticket.deviceId), ticket.failureMode);
        if (fix === null) continue;
        // Once per ticket: a fix that failed or went unanswered is the planner's to send again.
        if ((await repos.commands.listForTicket(ticket.id)).some((c) => c.command === fix)) continue;
        sent.push(await send(ticket.id, { command: fix }, automation));
      }
      return sent;
    },

    start() {
      if (sweep) return;
      const every = options.sweepIntervalMs ?? Math.min(60_000, Math.max(1_000, timeoutMs / 4));
      sweep = setInterval(() => {
        sweeping = expireUnanswered().catch((err) => log.warn({ err }, 'command timeout sweep failed'));
      }, every);
      sweep.unref();
    },

    async stop() {
      clearInterval(sweep);
      sweep = undefined;
      await sweeping;
    },
  };
}
