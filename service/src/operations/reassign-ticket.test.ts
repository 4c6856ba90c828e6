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

    expect(result).toMatchObject({ previousTechnicianId: techA });
    expect(result.moves).toEqual([
      expect.objectContaining({
        sku: 'AC-CAP',
        fromLocationId: vanA,
        outcome: { kind: 'refused', reason: expect.stringMatching(/is no longer reserved/) },
      }),
    ]);
    expect(result.partsRefused).toMatch(/^AC-CAP: .*is no longer reserved/);
    const detail = await world.repos.tickets.detail(ticketId);
    expect(result.ticket).toMatchObject({ technicianId: techB, version: detail.version });
    expect(detail.audit.slice(-2).map((a) => a.action)).toEqual(['reassigned', 'part_released']);
    expect(await reservedOf(ticketId)).toEqual([]);
  });

  it('reports the parts already moved when moving a later one is refused', async () => {
    // Regression: the refusal of the second part used to drop the report of the first, already moved.
    const ticketId = await aJobOfTechnicianAWithPartOnVanA();
    const { stock } = world.repos;
    await stock.receive(vanA, 'AC-FANMOTOR', 1);
    await stock.reservePart(ticketId, 'AC-FANMOTOR', vanA, { actor: planner });
    await stock.receive(vanB, 'AC-CAP', 1);
    await stock.receive(vanB, 'AC-FANMOTOR', 1);
    const release = stock.releaseReservation.bind(stock);
    let releases = 0;
    // Someone else releases the second part's reservation just before the reassignment moves it.
    vi.spyOn(stock, 'releaseReservation').mockImplementation(async (id, options) => {
      if (++releases === 2) await release(id, { actor: planner, reason: 'released from the stock screen' });
      return release(id, options);
    });

    const result = await reassign(ticketId, techB);

    const [first, second] = result.moves;
    expect(result.moves).toHaveLength(2);
    expect(first).toMatchObject({
      fromLocationId: vanA,
      outcome: { kind: 'reserved', reservation: { locationId: vanB } },
    });
    expect(second).toMatchObject({
      fromLocationId: vanA,
      outcome: { kind: 'refused', reason: expect.stringMatching(/is no longer reserved/) },
    });
    expect([first?.sku, second?.sku].sort()).toEqual(['AC-CAP', 'AC-FANMOTOR']);
    expect(result.partsRefused).toMatch(new RegExp(`^${second?.sku}: reservation .* is no longer reserved$`));
    expect(result.ticket.technicianId).toBe(techB);
    expect(await reservedOf(ticketId)).toEqual([
      expect.objectContaining({ sku: first?.sku, locationId: vanB }),
    ]);
  });

  it('leaves the part with the technician the ticket ends with when two reassignments race', async () => {
    // Regression: each call judged the move by the technician it read before assigning, so the part
    // could follow the job to B while the other call had already handed it back to A.
    const ticketId = await aJobOfTechnicianAWithPartOnVanA();
    const { stock, tickets } = world.repos;
    await stock.receive(vanB, 'AC-CAP', 1);

    const results = await Promise.all([reassign(ticketId, techB), reassign(ticketId, techA, 2)]);

    const detail = await tickets.detail(ticketId);
    const vanOf = { [techA]: vanA, [techB]: vanB };
    expect(await reservedOf(ticketId)).toEqual([
      expect.objectContaining({ sku: 'AC-CAP', quantity: 1, locationId: vanOf[detail.technicianId!] }),
    ]);
    // Two units in all, one reserved for the job: none lost, none counted twice, none below zero.
    const levels = [await stock.level(vanA, 'AC-CAP'), await stock.level(vanB, 'AC-CAP')];
    expect(levels.map((l) => l?.onHand)).toEqual([1, 1]);
    expect(levels.map((l) => l?.reserved).reduce((a, b) => (a ?? 0) + (b ?? 0))).toBe(1);
    expect(levels.every((l) => (l?.available ?? 0) >= 0)).toBe(true);
    // Each call reports who had the job just before its own assignment, as the audit does.
    const handovers = detail.audit
      .filter((a) => a.action === 'reassigned')
      .map((a) => a.data?.previousTechnicianId);
    expect(results.map((r) => r.previousTechnicianId).sort()).toEqual(handovers.sort());
  });
});
