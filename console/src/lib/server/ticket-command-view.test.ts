import type { TicketCommand, TicketCommands } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { remoteCommandsView } from './ticket-command-view.ts';

const ping = {
  command: 'ping',
  description: 'Check that the device is online and answers commands',
  clears: null,
};
const recalibrate = {
  command: 'recalibrate_sensor',
  description: 'Clears thermostat / sensor drift without a visit',
  clears: 'sensor_drift',
};

function sent(overrides: Partial<TicketCommand> & { id: string }): TicketCommand {
  return {
    ticketId: 't1',
    deviceId: 'sim-rf-00001',
    command: 'recalibrate_sensor',
    args: null,
    sentAt: 1_000,
    sentBy: 'system:remote-troubleshooting',
    status: 'sent',
    answeredAt: null,
    answerCode: null,
    answerMessage: null,
    ...overrides,
  };
}

const ticket = (status: string) => ({
  status,
  timeline: [{ at: 2_000, label: 'Remote command sent', by: 'a planner' }],
});

describe('remoteCommandsView', () => {
  it('says, while the work is open, that a fix the device answered ok still waits for its proof', () => {
    const cleared = sent({
      id: 'c1',
      status: 'answered',
      answeredAt: 1_500,
      answerCode: 'ok',
      answerMessage: 'cleared',
    });
    const open = remoteCommandsView(
      { available: [recalibrate, ping], sent: [cleared] },
      ticket('scheduled'),
      true,
    );
    expect(open.awaitingProof).toMatch(
      /^The device says recalibrate_sensor worked, but its answer alone closes nothing: .* Until then the visit stays booked/,
    );
    // Resolved (remotely or on site): nothing is waiting any more.
    expect(
      remoteCommandsView({ available: [recalibrate], sent: [cleared] }, ticket('resolved'), true)
        .awaitingProof,
    ).toBeNull();
    // A later answer that it did not help, or an ok answer to the ping, is no such promise.
    const noEffect = sent({
      id: 'c2',
      sentAt: 2_000,
      status: 'answered',
      answeredAt: 2_500,
      answerCode: 'no_effect',
    });
    expect(
      remoteCommandsView({ available: [recalibrate], sent: [cleared, noEffect] }, ticket('scheduled'), true)
        .awaitingProof,
    ).toBeNull();
    const pong = sent({ id: 'c3', command: 'ping', status: 'answered', answeredAt: 1_200, answerCode: 'ok' });
    expect(
      remoteCommandsView({ available: [recalibrate, ping], sent: [pong] }, ticket('open'), true)
        .awaitingProof,
    ).toBeNull();
  });

  it('offers the failure mode’s remote fix with what it does, apart from the diagnostic ping', () => {
    const view = remoteCommandsView({ available: [recalibrate, ping], sent: [] }, ticket('scheduled'), true);
    expect(view.fixes).toEqual([recalibrate]);
    expect(view.diagnostics).toEqual([ping]);
    expect(view.canSend).toBe(true);
  });

  it('has no fix to offer when only a visit helps (the page then says no remote fix applies)', () => {
    const view = remoteCommandsView({ available: [ping], sent: [] }, ticket('open'), true);
    expect(view.fixes).toEqual([]);
  });

  it('lists sent commands newest first with their status, answer and sender in words', () => {
    const commands: TicketCommands = {
      available: [recalibrate, ping],
      sent: [
        sent({ id: 'c1', status: 'timed_out' }),
        sent({
          id: 'c2',
          command: 'ping',
          sentAt: 2_000,
          sentBy: 'user:u1',
          status: 'failed',
          answerMessage: 'broker down',
        }),
        sent({
          id: 'c3',
          sentAt: 3_000,
          status: 'answered',
          answeredAt: 3_500,
          answerCode: 'ok',
          answerMessage: 'cleared',
        }),
        sent({ id: 'c4', sentAt: 4_000, status: 'answered', answeredAt: 4_200, answerCode: 'no_effect' }),
      ],
    };
    const view = remoteCommandsView(commands, ticket('dispatched'), true);
    expect(view.sent.map((c) => [c.id, c.statusLabel, c.tone, c.ok])).toEqual([
      ['c4', 'Answered', 'at_risk', false],
      ['c3', 'Answered', 'healthy', true],
      ['c2', 'Not delivered', 'failed', false],
      ['c1', 'No answer (timed out)', 'at_risk', false],
    ]);
    expect(view.sent.find((c) => c.id === 'c2')!.sentBy).toBe('a planner');
    expect(view.sent.find((c) => c.id === 'c1')!.sentBy).toBe('remote troubleshooting');
    expect(view.sent.find((c) => c.id === 'c3')!.description).toBe(recalibrate.description);
  });

  it('offers no sending once the work is over, or to someone who may not send', () => {
    const commands = { available: [recalibrate, ping], sent: [] };
    expect(remoteCommandsView(commands, ticket('resolved'), true).canSend).toBe(false);
    expect(remoteCommandsView(commands, ticket('on_site'), true).canSend).toBe(true);
    expect(remoteCommandsView(commands, ticket('scheduled'), false).canSend).toBe(false);
  });
});
