import type { TicketCommands } from '@aftercare/core';
import { actorLabel, auditActionLabel } from './ticket-words.ts';

/*
 * The remote troubleshooting panel of a ticket page, in words: the commands that apply to the
 * ticket's failure mode (the catalogue's remote fix, and the diagnostic ping every device answers),
 * and those sent with their status and what the device answered. Pure, so it is tested alone.
 */

/** Statuses in which a ticket's work is still open: the service takes commands only then. */
const sendableStatuses = ['open', 'scheduled', 'dispatched', 'on_site'];

const statusWords: Readonly<
  Record<string, { label: string; tone: 'info' | 'healthy' | 'failed' | 'at_risk' }>
> = {
  sent: { label: 'Waiting for the device', tone: 'info' },
  answered: { label: 'Answered', tone: 'healthy' },
  failed: { label: 'Not delivered', tone: 'failed' },
  timed_out: { label: 'No answer (timed out)', tone: 'at_risk' },
};

export interface CommandOffer {
  command: string;
  description: string;
  /** The failure mode it clears; null for the diagnostic ping. */
  clears: string | null;
}

export interface SentCommand {
  id: string;
  command: string;
  description: string | null;
  status: string;
  statusLabel: string;
  tone: 'info' | 'healthy' | 'failed' | 'at_risk';
  sentAt: number;
  sentBy: string;
  answeredAt: number | null;
  answerCode: string | null;
  answerMessage: string | null;
  /** The device said it did it. */
  ok: boolean;
}

export interface RemoteCommandsView {
  /** The remote fixes of the ticket's failure mode; empty when only a visit helps. */
  fixes: CommandOffer[];
  /** Commands that check without fixing (ping). */
  diagnostics: CommandOffer[];
  /** Newest first. */
  sent: SentCommand[];
  /** The ticket's work is open and this user may send: the send buttons show. */
  canSend: boolean;
  /**
   * The device's latest answer to the remote fix says it worked, yet the work is still open: what
   * happens next, in words (the answer alone closes nothing; the readings or the risk must show it).
   */
  awaitingProof: string | null;
}

/** Who sent a command, in words: the timeline's entry of the same instant says it best. */
function senderOf(
  sentBy: string,
  sentAt: number,
  timeline: readonly { at: number; label: string; by: string }[],
) {
  const entry = timeline.find((e) => e.at === sentAt && e.label === auditActionLabel('command_sent'));
  if (entry) return entry.by;
  return actorLabel({ actor: sentBy, actorRole: sentBy.startsWith('system:') ? 'system' : '' }) || sentBy;
}

/** The view of a ticket's commands; null when the service did not answer with them (older service). */
export function remoteCommandsView(
  commands: TicketCommands,
  ticket: { status: string; timeline: readonly { at: number; label: string; by: string }[] },
  mayUserSend: boolean,
): RemoteCommandsView {
  const describe = new Map(commands.available.map((c) => [c.command, c.description]));
  const fixes = new Set(commands.available.filter((c) => c.clears !== null).map((c) => c.command));
  const lastFixAnswer = commands.sent
    .filter((c) => fixes.has(c.command) && c.status === 'answered')
    .sort((a, b) => (b.answeredAt ?? 0) - (a.answeredAt ?? 0))[0];
  const open = sendableStatuses.includes(ticket.status);
  return {
    fixes: commands.available.filter((c) => c.clears !== null),
    diagnostics: commands.available.filter((c) => c.clears === null),
    sent: commands.sent
      .map((c): SentCommand => {
        const words = statusWords[c.status] ?? { label: c.status, tone: 'info' as const };
        return {
          id: c.id,
          command: c.command,
          description: describe.get(c.command) ?? null,
          status: c.status,
          statusLabel: words.label,
          tone: c.status === 'answered' && c.answerCode !== 'ok' ? 'at_risk' : words.tone,
          sentAt: c.sentAt,
          sentBy: senderOf(c.sentBy, c.sentAt, ticket.timeline),
          answeredAt: c.answeredAt,
          answerCode: c.answerCode,
          answerMessage: c.answerMessage,
          ok: c.status === 'answered' && c.answerCode === 'ok',
        };
      })
      .reverse(),
    canSend: mayUserSend && open,
    awaitingProof:
      open && lastFixAnswer?.answerCode === 'ok'
        ? `The device says ${lastFixAnswer.command} worked, but its answer alone closes nothing: the ticket is resolved without a visit once its readings are back to normal (within a few hours) or its risk falls below the closing level. Until then the visit stays booked, so a technician still comes if the fault is still there.`
        : null,
  };
}
