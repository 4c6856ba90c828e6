import { type CommandArgs, ConflictError, type Ticket, type TicketCommand } from '@aftercare/core';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { ServiceDatabase } from '../db/database.ts';
import { newId } from '../db/query-helpers.ts';
import type { TicketCommandsTable } from '../db/tables.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Actor } from '../principal.ts';
import { decideTransition, remotelyResolvableStatuses } from '../tickets/ticket-lifecycle.ts';
import { type TicketRow, toTicket } from '../tickets/ticket-rows.ts';
import { applyTicketChange, type Db, loadTicket, type TicketChange } from '../tickets/ticket-writes.ts';

export interface TicketCommandRepositoryOptions {
  clock?: () => number;
  events?: EventBus;
}

/** What a device answered: its `command_result` event. */
export interface CommandAnswer {
  code: string;
  message: string | null;
  /** When the answer arrived at the platform (the device's own clock may be elsewhere). */
  at: number;
}

export function toTicketCommand(row: Selectable<TicketCommandsTable>): TicketCommand {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    deviceId: row.device_id,
    command: row.command,
    args: row.args === null ? null : (JSON.parse(row.args) as CommandArgs),
    sentAt: row.sent_at,
    sentBy: row.sent_by,
    status: row.status,
    answeredAt: row.answered_at,
    answerCode: row.answer_code,
    answerMessage: row.answer_message,
  };
}

/**
 * The commands sent to devices for tickets, and their answers. Each step is also an entry of the
 * ticket's audit log (sent, answered, failed, timed out), written in the same transaction through
 * the tickets' single writer, so the ticket's timeline tells the whole remote troubleshooting.
 */
export class TicketCommandRepository {
  private readonly clock: () => number;

  constructor(
    private readonly db: ServiceDatabase,
    private readonly options: TicketCommandRepositoryOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** A ticket's commands, oldest first. */
  async listForTicket(ticketId: string): Promise<TicketCommand[]> {
    const rows = await this.db
      .selectFrom('ticket_commands')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .orderBy('sent_at')
      .orderBy('id')
      .execute();
    return rows.map(toTicketCommand);
  }

  /**
   * Devices with an answered command on a ticket that a remote fix could still resolve: the only
   * devices whose falling risk can close a ticket remotely, found with one query instead of one per risk.
   */
  async devicesAwaitingClearance(): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('ticket_commands')
      .innerJoin('tickets', 'tickets.id', 'ticket_commands.ticket_id')
      .select('ticket_commands.device_id')
      .distinct()
      .where('ticket_commands.status', '=', 'answered')
      .where('tickets.status', 'in', [...remotelyResolvableStatuses])
      .execute();
    return new Set(rows.map((r) => r.device_id));
  }

  async get(id: string): Promise<TicketCommand | null> {
    const row = await this.db
      .selectFrom('ticket_commands')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toTicketCommand(row) : null;
  }

  /** Records a command as sent, before it is published: an answer can never arrive for an unknown id. */
  async recordSent(
    ticket: Ticket,
    command: { command: string; args?: CommandArgs | undefined },
    actor: Actor,
  ): Promise<TicketCommand> {
    const id = newId();
    let sent: Insertable<TicketCommandsTable> | undefined;
    await this.change(ticket.id, actor, async (trx, now) => {
      sent = {
        id,
        ticket_id: ticket.id,
        device_id: ticket.deviceId,
        command: command.command,
        args: command.args === undefined ? null : JSON.stringify(command.args),
        sent_at: now,
        sent_by: actor.id,
        status: 'sent',
        answered_at: null,
        answer_code: null,
        answer_message: null,
      };
      await trx.insertInto('ticket_commands').values(sent).execute();
      return {
        action: 'command_sent',
        data: { commandId: id, command: command.command, ...(command.args ? { args: command.args } : {}) },
      };
    });
    // The row as inserted: no second read.
    return toTicketCommand(sent as Selectable<TicketCommandsTable>);
  }

  /** The broker did not take the command: nothing reached the device. */
  async recordFailed(id: string, reason: string, actor: Actor): Promise<TicketCommand | null> {
    return this.finish(id, ['sent'], actor, {
      set: { status: 'failed', answered_at: null, answer_code: null, answer_message: reason.slice(0, 500) },
      action: 'command_failed',
      reason,
    });
  }

  /**
   * The device's answer, when the command is this device's; null otherwise (a stray or forged id).
   * A late answer to a timed-out command is still recorded: what the device did matters more than when.
   */
  async recordAnswer(
    deviceId: string,
    id: string,
    answer: CommandAnswer,
    actor: Actor,
  ): Promise<TicketCommand | null> {
    return this.finish(
      id,
      ['sent', 'timed_out'],
      actor,
      {
        set: {
          status: 'answered',
          answered_at: answer.at,
          answer_code: answer.code.slice(0, 64),
          answer_message: answer.message?.slice(0, 500) ?? null,
        },
        action: 'command_answered',
        reason: `device answered ${answer.code}${answer.message ? `: ${answer.message}` : ''}`,
      },
      deviceId,
    );
  }

  /** Commands sent before `sentBefore` and still unanswered become timed_out; answers their ids. */
  async expireUnanswered(sentBefore: number, actor: Actor): Promise<TicketCommand[]> {
    const rows = await this.db
      .selectFrom('ticket_commands')
      .select('id')
      .where('status', '=', 'sent')
      .where('sent_at', '<', sentBefore)
      .orderBy('sent_at')
      .limit(500)
      .execute();
    const expired: TicketCommand[] = [];
    for (const { id } of rows) {
      const command = await this.finish(id, ['sent'], actor, {
        set: { status: 'timed_out' },
        action: 'command_timed_out',
        reason: 'the device did not answer in time',
      });
      if (command) expired.push(command);
    }
    return expired;
  }

  /**
   * Resolves a ticket whose failure a remote command cleared: nobody travels. The technician is
   * unassigned and the reserved part goes back on the shelf (the tickets' writer releases a resolved
   * ticket's reservations). The lifecycle's `resolved_remotely` step decides: only the platform takes
   * it, from open, scheduled or dispatched; anything else (someone on site, a human actor) answers null.
   */
  async resolveRemotely(
    ticketId: string,
    input: { reason: string; data: Record<string, unknown> },
    actor: Actor,
  ): Promise<Ticket | null> {
    try {
      const row = await this.change(ticketId, actor, async (_trx, _now, current) => {
        const decision = decideTransition({
          from: current.status,
          to: 'resolved',
          actor,
          reason: input.reason,
          ticket: { technicianId: current.technician_id, customerId: current.customer_id },
        });
        if (!decision.ok || decision.action !== 'resolved_remotely')
          throw new NotResolvableRemotely(
            `the ticket is ${current.status}: it cannot be fixed remotely (${decision.ok ? decision.action : decision.message})`,
          );
        return {
          action: decision.action,
          to: 'resolved',
          reason: input.reason,
          set: { technician_id: null, appointment_start: null, appointment_end: null },
          data: { ...input.data, previousTechnicianId: current.technician_id },
        };
      });
      return toTicket(row);
    } catch (err) {
      // Only the lifecycle's no: a concurrent write's conflict is not an answer and goes up.
      if (err instanceof NotResolvableRemotely) return null;
      throw err;
    }
  }

  /**
   * Ends a command in one of `from` statuses, with its audit entry; null when it was no longer there
   * (or, with `deviceId`, is another device's).
   */
  private async finish(
    id: string,
    from: readonly TicketCommand['status'][],
    actor: Actor,
    step: { set: Updateable<TicketCommandsTable>; action: string; reason: string },
    deviceId?: string,
  ): Promise<TicketCommand | null> {
    const command = await this.get(id);
    if (!command || !from.includes(command.status)) return null;
    if (deviceId !== undefined && command.deviceId !== deviceId) return null;
    let done = false;
    await this.change(command.ticketId, actor, async (trx) => {
      const result = await trx
        .updateTable('ticket_commands')
        .set(step.set)
        .where('id', '=', id)
        .where('status', 'in', [...from])
        .executeTakeFirst();
      done = result.numUpdatedRows > 0n;
      if (!done) throw new AlreadyFinished();
      return {
        action: step.action,
        reason: step.reason,
        data: {
          commandId: id,
          command: command.command,
          ...(step.set.answer_code ? { code: step.set.answer_code } : {}),
        },
      };
    }).catch((err) => {
      if (!(err instanceof AlreadyFinished)) throw err;
    });
    return done ? this.get(id) : null;
  }

  /** One ticket change through the tickets' writer (audit entry, version), announced once committed. */
  private async change(
    ticketId: string,
    actor: Actor,
    plan: (trx: Db, now: number, current: Awaited<ReturnType<typeof loadTicket>>) => Promise<TicketChange>,
  ): Promise<TicketRow> {
    const now = this.clock();
    const { row, event } = await this.db.transaction().execute(async (trx) => {
      const current = await loadTicket(trx, ticketId);
      return applyTicketChange(trx, current, await plan(trx, now, current), actor, now);
    });
    this.options.events?.publish(event);
    return row;
  }
}

/** Another writer (an answer racing the timeout sweep) finished the command first. */
class AlreadyFinished extends Error {}

/** The lifecycle refused the `resolved_remotely` step for the ticket as it is now. */
class NotResolvableRemotely extends ConflictError {}
