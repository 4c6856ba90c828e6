import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { aStockLocation, aTechnician, hour } from '../../test/support/factories.ts';
import { aCorrectiveTicket, aStockWorld, type StockWorld } from '../../test/support/stock-world.ts';
import { planner } from '../../test/support/world.ts';
import { TicketCommandRepository } from '../repositories/ticket-command-repository.ts';
import { TokenRepository } from '../repositories/token-repository.ts';
import { PlanningData } from './planning-data.ts';
import { reassignTicket } from './reassign-ticket.ts';

/*
 * `reassignTicket` over the real database: the job changes hands and a part reserved on the previous
 * technician's van follows it; a refusal of the parts never undoes the reassignment.
 */
describe('reassignTicket', () => {
  let world: StockWorld;
  let data: PlanningData;
  let techA: string;
  let techB: string;
  let vanA: string;
  let vanB: string;
  /** Friday 27 November 2026, 10:00 in Bengaluru: the technicians' working day, a day after the clock. */
  const appointment = (hours = 0) => {
    const start = Date.UTC(2026, 10, 27, 4, 30) + hours * hour;
    return { start, end: start + hour };
  };

  beforeEach(async () => {
    world = await aStockWorld();
    const { db, repos, scene } = world;
    data = new PlanningData({
      ...repos,
      tokens: new TokenRepository(db, repos.clock),
      commands: new TicketCommandRepository(db, { clock: repos.clock, events: repos.events }),
    });
    techA = scene.technician.id;
    techB = (await repos.partners.createTechnician(scene.partner.id, aTechnician())).id;
    const van = async (technicianId: string) =>
      (
        await repos.stock.createLocation(
          aStockLocation({
            name: `Van of ${technicianId}`,
            kind: 'van',
            partnerId: scene.partner.id,
            technicianId,
            lat: 12.96,
            lon: 77.59,
          }),
        )
      ).id;
    vanA = await van(techA);
    vanB = await van(techB);
  });
  afterEach(() => world.db.destroy());

  /** A capacitor job assigned to technician A, with the capacitor reserved on A's van. */
  async function aJobOfTechnicianAWithPartOnVanA(): Promise<string> {
    const { repos, scene } = world;
    const ticket = await aCorrectiveTicket(repos, scene);
    await repos.tickets.assign(ticket.id, { technicianId: techA, appointment: appointment() }, planner);
    await repos.stock.receive(vanA, 'AC-CAP', 1);
    await repos.stock.reservePart(ticket.id, 'AC-CAP', vanA, { actor: planner });
    return ticket.id;
  }

  /** The job to `technicianId`, at the appointment `hours` after the usual one, at the clock's now. */
  const reassign = (ticketId: string, technicianId: string, hours = 0) =>
    reassignTicket(data, ticketId, { technicianId, appointment: appointment(hours) }, planner, {
      now: world.repos.time.now,
    });

  const reservedOf = async (ticketId: string) =>
    (await world.repos.tickets.detail(ticketId)).reservations.filter((r) => r.status === 'reserved');

  it('moves the job to B and the part from A’s van to B’s, with the audit to show it', async () => {
    const ticketId = await aJobOfTechnicianAWithPartOnVanA();
    await world.repos.stock.receive(vanB, 'AC-CAP', 1);

    const result = await reassign(ticketId, techB);

    expect(result).toMatchObject({ previousTechnicianId: techA, partsRefused: null });
    expect(result.moves).toEqual([
      expect.objectContaining({
        sku: 'AC-CAP',
        quantity: 1,
        fromLocationId: vanA,
        outcome: expect.objectContaining({
          kind: 'reserved',
          reservation: expect.objectContaining({ locationId: vanB }),
        }),
      }),
    ]);
    const detail = await world.repos.tickets.detail(ticketId);
    // The ticket handed back is the one after the parts moved, not the one the assignment returned.
    expect(result.ticket).toMatchObject({ technicianId: techB, version: detail.version });
    expect(await reservedOf(ticketId)).toEqual([
      expect.objectContaining({ locationId: vanB, sku: 'AC-CAP' }),
    ]);
    expect(detail.audit.slice(-3).map((a) => a.action)).toEqual([
      'reassigned',
      'part_released',
      'part_reserved',
    ]);
    expect(detail.audit.at(-2)).toMatchObject({
      data: { locationId: vanA, sku: 'AC-CAP' },
      reason: expect.stringMatching(new RegExp(`job moved to technician ${techB}`)),
    });
    expect((await world.repos.stock.level(vanA, 'AC-CAP'))?.available).toBe(1);
  });

  it('moves nothing when the same technician only gets a new appointment', async () => {
    const ticketId = await aJobOfTechnicianAWithPartOnVanA();
    await world.repos.stock.receive(vanB, 'AC-CAP', 1);

    const result = await reassign(ticketId, techA, 3);

    expect(result).toMatchObject({ previousTechnicianId: techA, moves: [], partsRefused: null });
    expect(result.ticket).toMatchObject({ technicianId: techA, appointment: appointment(3) });
    expect(await reservedOf(ticketId)).toEqual([expect.objectContaining({ locationId: vanA })]);
    const audit = (await world.repos.tickets.detail(ticketId)).audit.map((a) => a.action);
    expect(audit.at(-1)).toBe('reassigned');
    expect(audit).not.toContain('part_released');
  });

  it('moves the job all the same when no other unit reaches it, keeping the part on A’s van and saying why', async () => {
    // No capacitor anywhere else: B's van, the depot and the warehouse are empty.
    const ticketId = await aJobOfTechnicianAWithPartOnVanA();

    const result = await reassign(ticketId, techB);

    expect(result.ticket.technicianId).toBe(techB);
    expect(result.partsRefused).toBeNull();
    expect(result.moves).toEqual([
      expect.objectContaining({
        fromLocationId: vanA,
        outcome: {
          kind: 'kept_on_previous_van',
          locationId: vanA,
          reason: expect.stringMatching(/^no other unit reaches the job in time/),
        },
      }),
    ]);
    expect(await reservedOf(ticketId)).toEqual([expect.objectContaining({ locationId: vanA })]);
  });

  it('moves the job all the same when the parts are refused (the reservation ended meanwhile), and reports it', async () => {
    const ticketId = await aJobOfTechnicianAWithPartOnVanA();
    await world.repos.stock.receive(vanB, 'AC-CAP', 1);
    const { stock } = world.repos;
    const release = stock.releaseReservation.bind(stock);
    // Someone else releases the reservation between the read of the ticket's parts and their move.
    vi.spyOn(stock, 'releaseReservation').mockImplementationOnce(async (id, options) => {
      await release(id, { actor: planner, reason: 'released from the stock screen' });
      return release(id, options);
    });

    const result = await reassign(ticketId, techB);

    expect(result).toMatchObject({ previousTechnicianId: techA, moves: [] });
    expect(result.partsRefused).toMatch(/is no longer reserved/);
    const detail = await world.repos.tickets.detail(ticketId);
    expect(result.ticket).toMatchObject({ technicianId: techB, version: detail.version });
    expect(detail.audit.slice(-2).map((a) => a.action)).toEqual(['reassigned', 'part_released']);
    expect(await reservedOf(ticketId)).toEqual([]);
  });
});
