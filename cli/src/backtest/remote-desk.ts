import type { DeviceCommand, DeviceModel } from '@aftercare/core';
import type { Fleet } from '@aftercare/device-sim';
import type { CommandPublisher, RemoteTroubleshooting, ServiceDatabase } from '@aftercare/service';
import type { Ledger } from './ledger.ts';

/**
 * Remote troubleshooting in the backtest, without the network: the automation's commands are queued
 * by `publisher` (as the broker would take them), and `deliver` hands each to its simulated device,
 * books what the command cleared in the ledger (a developing failure cleared by a predictive ticket's
 * remote fix is a failure prevented, with the ticket's lead) and gives the device's answer to remote
 * troubleshooting, as ingest does with a `command_result` event. Whether the ticket is then resolved
 * remotely, and the visit called off, is the automation's decision on the next scores.
 */
export class RemoteDesk {
  private outbox: { deviceId: string; command: DeviceCommand }[] = [];
  /** Commands delivered, and those whose device answered that it cleared a fault. */
  readonly counts = { sent: 0, cleared: 0 };

  constructor(
    private readonly deps: {
      db: ServiceDatabase;
      fleet: Fleet;
      ledger: Ledger;
      models: ReadonlyMap<string, DeviceModel>;
    },
  ) {}

  readonly publisher: CommandPublisher = {
    publish: async (deviceId, command) => {
      this.outbox.push({ deviceId, command });
    },
  };

  async deliver(remote: RemoteTroubleshooting, at: number): Promise<void> {
    const queued = this.outbox;
    this.outbox = [];
    for (const { deviceId, command } of queued) {
      this.counts.sent++;
      const { answer, cleared } = this.deps.fleet.command(deviceId, command, at);
      const ticket = await this.deps.db
        .selectFrom('ticket_commands')
        .innerJoin('tickets', 'tickets.id', 'ticket_commands.ticket_id')
        .select([
          'tickets.id',
          'tickets.kind',
          'tickets.device_id',
          'tickets.failure_mode',
          'tickets.created_at',
        ])
        .where('ticket_commands.id', '=', command.commandId)
        .executeTakeFirst();
      if (ticket) {
        const { ledger } = this.deps;
        const record = ledger.ticketRow(ticket);
        ledger.cleared({ deviceId, model: this.deps.models.get(deviceId)! }, cleared, record);
        if (cleared.some((c) => c.prevented)) {
          this.counts.cleared++;
          ledger.judge(ticket.id, 'caught');
        }
      }
      await remote.handleDeviceEvent(deviceId, answer);
    }
  }
}
