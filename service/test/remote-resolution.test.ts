import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceDatabase } from '../src/db/database.ts';
import { systemActor } from '../src/principal.ts';
import { TicketCommandRepository } from '../src/repositories/ticket-command-repository.ts';
import { aCorrectiveTicket, aStockWorld, type StockWorld } from './support/stock-world.ts';
import { planner, technicianActor, ticketOnSite } from './support/world.ts';

/*
 * `resolveRemotely` goes through the ticket lifecycle's `resolved_remotely` step on the real
 * database: only the platform takes it, only before anyone is on site, and it leaves its audit entry.
 */
describe('resolving a ticket remotely', () => {
  let world: StockWorld;
  let db: ServiceDatabase;
  let commands: TicketCommandRepository;
  const platform = systemActor('remote-troubleshooting');
  const fix = {
    reason: 'fixed remotely: reset_controller answered ok',
    data: { command: 'reset_controller' },
  };

  beforeEach(async () => {
    world = await aStockWorld();
    db = world.db;
    commands = new TicketCommandRepository(db, { clock: world.repos.clock, events: world.repos.events });
  });
  afterEach(() => db.destroy());

  it('resolves a scheduled ticket, unassigns it, puts the part back and writes the audit entry', async () => {
    const { repos, scene } = world;
    await repos.stock.receive(world.depot, 'AC-CAP', 1);
    const ticket = await aCorrectiveTicket(repos, scene);
    const start = repos.time.now + 4 * 3_600_000;
    await repos.tickets.transition(
      ticket.id,
      { to: 'scheduled', technicianId: scene.technician.id, appointment: { start, end: start + 3_600_000 } },
      planner,
    );
    await repos.stock.reservePart(ticket.id, 'AC-CAP', world.depot, { actor: planner });

    const resolved = await commands.resolveRemotely(ticket.id, fix, platform);
    expect(resolved).toMatchObject({ status: 'resolved', technicianId: null, appointment: null });
    const detail = await repos.tickets.detail(ticket.id);
    expect(detail.audit.at(-1)).toMatchObject({
      action: 'resolved_remotely',
      fromStatus: 'scheduled',
      toStatus: 'resolved',
      actor: 'system:remote-troubleshooting',
      reason: fix.reason,
      data: { command: 'reset_controller', previousTechnicianId: scene.technician.id },
    });
    expect(detail.reservations).toMatchObject([{ sku: 'AC-CAP', status: 'released' }]);
  });

  it('calls back a part still on its way to the job: nobody will fit it', async () => {
    const { repos, scene } = world;
    await repos.stock.receive(world.warehouse, 'AC-CAP', 1);
    const ticket = await aCorrectiveTicket(repos, scene);
    const transfer = await repos.transfers.createTransfer({
      fromLocationId: world.warehouse,
      toLocationId: world.depot,
      sku: 'AC-CAP',
      quantity: 1,
      etaAt: repos.time.now + 6 * 3_600_000,
      ticketId: ticket.id,
    });
    expect(await repos.stock.level(world.warehouse, 'AC-CAP')).toMatchObject({ onHand: 0 });

    await commands.resolveRemotely(ticket.id, fix, platform);
    const detail = await repos.tickets.detail(ticket.id);
    expect(detail.transfers).toMatchObject([{ id: transfer.id, status: 'cancelled' }]);
    expect(await repos.stock.level(world.warehouse, 'AC-CAP')).toMatchObject({ onHand: 1, reserved: 0 });
    expect(detail.audit.at(-1)).toMatchObject({
      action: 'resolved_remotely',
      data: { transfersCalledBack: [transfer.id] },
    });
  });

  it('does nothing once the technician is on site: the visit decides', async () => {
    const { repos, scene } = world;
    const ticket = await ticketOnSite(repos, await aCorrectiveTicket(repos, scene), scene.technician.id);
    expect(await commands.resolveRemotely(ticket.id, fix, platform)).toBeNull();
    const detail = await repos.tickets.detail(ticket.id);
    expect(detail.status).toBe('on_site');
    expect(detail.audit.map((a) => a.action)).not.toContain('resolved_remotely');
  });

  it('is the platform’s step only: a person cannot take it', async () => {
    const { repos, scene } = world;
    const ticket = await aCorrectiveTicket(repos, scene);
    expect(await commands.resolveRemotely(ticket.id, fix, planner)).toBeNull();
    expect(await commands.resolveRemotely(ticket.id, fix, technicianActor(scene.technician.id))).toBeNull();
    expect((await repos.tickets.get(ticket.id))!.status).toBe('open');
    await expect(
      repos.tickets.transition(ticket.id, { to: 'resolved', reason: 'it works now' }, planner),
    ).rejects.toThrow(/it can move to scheduled, cancelled, not to resolved/);
  });
});
