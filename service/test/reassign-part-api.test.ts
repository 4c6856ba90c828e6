import type { Ticket } from '@aftercare/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlanningData } from '../src/operations/planning-data.ts';
import { sourceTicketPart } from '../src/operations/source-ticket-part.ts';
import { systemActor } from '../src/principal.ts';
import {
  aCustomer,
  aDevice,
  aPartner,
  aSite,
  aStockLocation,
  aTechnician,
  hour,
} from './support/factories.ts';
import { aFreeVisit } from './support/free-visit.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/*
 * Reassigning a ticket moves its part: a unit reserved on the previous technician's van is released
 * (it is that van's own stock again) and the part is sourced for the new technician. Over real HTTP
 * and the real database.
 */
describe('a part reserved on the previous technician’s van follows the reassigned job', () => {
  let service: ServiceHarness;
  let planner: string;
  let deviceId: string;
  let techA: string;
  let techB: string;
  let vanA: string;
  let vanB: string;
  let warehouse: string;
  let partnerId: string;
  const minute = 60_000;

  const call = async (method: string, path: string, body?: unknown, status = 200) => {
    const res = await service.api(path, { method, token: planner, body });
    expect(res.status, `${method} ${path} ${res.text}`).toBe(status);
    return res.body;
  };
  const available = async (locationId: string, sku: string): Promise<number> => {
    const levels = await call('GET', `/api/stock-locations/${locationId}/stock`);
    return levels.items.find((l: { sku: string }) => l.sku === sku)?.available ?? 0;
  };
  /**
   * An hour's visit of the technician inside their working hours, `hours` from now at the earliest,
   * when they have nothing else booked: the tests book one technician many jobs at one site.
   */
  const appointment = (hours: number, technicianId: string) =>
    aFreeVisit(service, technicianId, 60, Date.now() + hours * hour);

  /** A capacitor ticket assigned to technician A, the appointment `hours` from now. */
  async function aTicketOfTechnicianA(hours: number): Promise<string> {
    const ticket = await call(
      'POST',
      '/api/tickets',
      { deviceId, description: 'Hums, will not start', failureMode: 'capacitor_degradation' },
      201,
    );
    await call('PUT', `/api/tickets/${ticket.id}/assignment`, {
      technicianId: techA,
      appointment: await appointment(hours, techA),
    });
    return ticket.id;
  }

  /** A ticket assigned to technician A with its capacitor reserved on A's van. */
  async function aTicketWithPartOnVanA(): Promise<string> {
    await call('POST', `/api/stock-locations/${vanA}/receipts`, { sku: 'AC-CAP', quantity: 1 });
    const ticketId = await aTicketOfTechnicianA(30);
    await call('POST', `/api/tickets/${ticketId}/reservations`, { sku: 'AC-CAP', locationId: vanA }, 201);
    return ticketId;
  }

  const reservationsOf = async (ticketId: string) =>
    (await call('GET', `/api/tickets/${ticketId}`)).reservations as {
      locationId: string;
      sku: string;
      status: string;
    }[];

  beforeAll(async () => {
    service = await startService();
    planner = await service.login({ email: 'planner@example.com', role: 'planner' });
    const customer = await call('POST', '/api/customers', aCustomer(), 201);
    const site = await call('POST', `/api/customers/${customer.id}/sites`, aSite(), 201);
    deviceId = (
      await call('POST', '/api/devices', aDevice({ customerId: customer.id, siteId: site.id }), 201)
    ).id;
    const partner = await call('POST', '/api/partners', aPartner(), 201);
    partnerId = partner.id;
    techA = (await call('POST', `/api/partners/${partner.id}/technicians`, aTechnician(), 201)).id;
    techB = (await call('POST', `/api/partners/${partner.id}/technicians`, aTechnician(), 201)).id;
    const van = (technicianId: string) =>
      aStockLocation({
        name: `Van of ${technicianId}`,
        kind: 'van',
        partnerId: partner.id,
        technicianId,
        lat: 12.96,
        lon: 77.59,
      });
    vanA = (await call('POST', '/api/stock-locations', van(techA), 201)).id;
    vanB = (await call('POST', '/api/stock-locations', van(techB), 201)).id;
    warehouse = (await call('POST', '/api/stock-locations', aStockLocation(), 201)).id;
  });
  afterAll(() => service.close());

  it('reserves the part on the new technician’s van and frees the unit on the previous one', async () => {
    const ticketId = await aTicketWithPartOnVanA();
    await call('POST', `/api/stock-locations/${vanB}/receipts`, { sku: 'AC-CAP', quantity: 1 });
    expect([await available(vanA, 'AC-CAP'), await available(vanB, 'AC-CAP')]).toEqual([0, 1]);

    await call('PUT', `/api/tickets/${ticketId}/assignment`, {
      technicianId: techB,
      appointment: await appointment(30, techB),
    });

    const held = await reservationsOf(ticketId);
    expect(held.filter((r) => r.status === 'reserved')).toEqual([
      expect.objectContaining({ locationId: vanB, sku: 'AC-CAP' }),
    ]);
    expect(held.filter((r) => r.status === 'released')).toEqual([
      expect.objectContaining({ locationId: vanA, sku: 'AC-CAP' }),
    ]);
    expect([await available(vanA, 'AC-CAP'), await available(vanB, 'AC-CAP')]).toEqual([1, 0]);
    const audit = (await call('GET', `/api/tickets/${ticketId}`)).audit.map(
      (a: { action: string }) => a.action,
    );
    expect(audit.slice(-3)).toEqual(['reassigned', 'part_released', 'part_reserved']);
  });

  it('sources it from the network when the new technician’s van has none', async () => {
    const ticketId = await aTicketWithPartOnVanA();
    await call('POST', `/api/stock-locations/${warehouse}/receipts`, { sku: 'AC-CAP', quantity: 1 });

    await call('PUT', `/api/tickets/${ticketId}/assignment`, {
      technicianId: techB,
      appointment: await appointment(48, techB),
    });

    const detail = await call('GET', `/api/tickets/${ticketId}`);
    const reserved = detail.reservations.filter((r: { status: string }) => r.status === 'reserved');
    const moving = detail.transfers.filter((t: { status: string }) => t.status === 'in_transit');
    // From the warehouse: reserved there for delivery, or sent to the new technician's van.
    expect([...reserved, ...moving].map((x: { sku: string }) => x.sku)).toEqual(['AC-CAP']);
    expect(reserved.some((r: { locationId: string }) => r.locationId === vanA)).toBe(false);
    expect(await available(warehouse, 'AC-CAP')).toBe(0);
  });

  it('keeps the reservation on the previous van when nothing else can reach the job', async () => {
    const ticketId = await aTicketWithPartOnVanA();
    // No unit anywhere else: B's van and the warehouse are empty now.
    expect([await available(vanB, 'AC-CAP'), await available(warehouse, 'AC-CAP')]).toEqual([0, 0]);
    const freeOnVanA = await available(vanA, 'AC-CAP');

    await call('PUT', `/api/tickets/${ticketId}/assignment`, {
      technicianId: techB,
      appointment: await appointment(30, techB),
    });

    const held = (await reservationsOf(ticketId)).filter((r) => r.status === 'reserved');
    expect(held).toEqual([expect.objectContaining({ locationId: vanA, sku: 'AC-CAP' })]);
    // Units freed on A's van by the earlier moves are A's own stock: never a source for B's jobs.
    expect(await available(vanA, 'AC-CAP')).toBe(freeOnVanA);
  });

  /** A ticket assigned to technician A whose capacitor is on the road from the warehouse to A's van. */
  async function aTicketWithPartOnTheRoadToVanA(appointmentHours: number, etaAt: number) {
    await call('POST', `/api/stock-locations/${warehouse}/receipts`, { sku: 'AC-CAP', quantity: 1 });
    const ticketId = await aTicketOfTechnicianA(appointmentHours);
    const transfer = await call(
      'POST',
      '/api/transfers',
      {
        fromLocationId: warehouse,
        toLocationId: vanA,
        sku: 'AC-CAP',
        quantity: 1,
        etaAt,
        ticketId,
      },
      201,
    );
    return { ticketId, transfer };
  }

  const transfersOf = async (ticketId: string) =>
    (await call('GET', `/api/tickets/${ticketId}`)).transfers as {
      id: string;
      toLocationId: string;
      status: string;
      etaAt: number;
    }[];

  it('sends a transfer still on the road to the previous technician’s van on to the new one’s', async () => {
    const { ticketId, transfer } = await aTicketWithPartOnTheRoadToVanA(30, Date.now() + 2 * hour);

    await call('PUT', `/api/tickets/${ticketId}/assignment`, {
      technicianId: techB,
      appointment: await appointment(30, techB),
    });

    const [moving] = await transfersOf(ticketId);
    expect(moving).toMatchObject({ id: transfer.id, toLocationId: vanB, status: 'in_transit' });
    // The courier drives on from A's van to B's (the same yard here): never earlier than promised.
    expect(moving!.etaAt).toBeGreaterThanOrEqual(transfer.etaAt);
    const detail = await call('GET', `/api/tickets/${ticketId}`);
    const redirect = detail.audit.find((a: { action: string }) => a.action === 'transfer_redirected');
    expect(redirect.data).toMatchObject({ transferId: transfer.id, from: vanA, to: vanB });
    expect(redirect.reason).toMatch(/job moved to technician/);
  });

  it('lets a transfer carry on when it would reach the new technician too late', async () => {
    // Due at A's van an hour after the new appointment starts; A's own visit is days later.
    const soon = await appointment(4, techB);
    const { ticketId, transfer } = await aTicketWithPartOnTheRoadToVanA(72, soon.start + hour);

    await call('PUT', `/api/tickets/${ticketId}/assignment`, { technicianId: techB, appointment: soon });

    const [moving] = await transfersOf(ticketId);
    expect(moving).toMatchObject({ id: transfer.id, toLocationId: vanA, etaAt: transfer.etaAt });
  });

  /** The capacitor sourced for the ticket as it stands, as the automation does (`sourceTicketPart`). */
  const automationSourcesCapacitor = (ticket: Ticket, homeBase: { lat: number; lon: number }) =>
    sourceTicketPart(
      new PlanningData(service.repos),
      {
        ticket,
        sku: 'AC-CAP',
        quantity: 1,
        sitePosition: { lat: 12.975, lon: 77.605 },
        appointmentStart: ticket.appointment!.start,
        priority: 3,
        technician: { id: ticket.technicianId!, homeBase },
      },
      { now: Date.now(), actor: systemActor('automation') },
    );

  /**
   * A technician of the partner whose van stands across town from A's: a part bound for A's van takes
   * the drive between the two to reach them.
   */
  async function aTechnicianAcrossTown(): Promise<{ technicianId: string; vanId: string }> {
    const technicianId = (await call('POST', `/api/partners/${partnerId}/technicians`, aTechnician(), 201))
      .id;
    const vanId = (
      await call(
        'POST',
        '/api/stock-locations',
        aStockLocation({
          name: `Van of ${technicianId}`,
          kind: 'van',
          partnerId,
          technicianId,
          lat: 13.08,
          lon: 77.59,
        }),
        201,
      )
    ).id;
    return { technicianId, vanId };
  }

  it('replaces a delivery bound for the previous technician’s van, too late to send on, with a unit on the new one’s', async () => {
    const far = await aTechnicianAcrossTown();
    await call('POST', `/api/stock-locations/${far.vanId}/receipts`, { sku: 'AC-CAP', quantity: 1 });
    // Lands at A's van 40 minutes before the new visit: in time for A, not for the drive across town.
    const soon = await appointment(4, far.technicianId);
    const { ticketId, transfer } = await aTicketWithPartOnTheRoadToVanA(72, soon.start - 40 * minute);

    await call('PUT', `/api/tickets/${ticketId}/assignment`, {
      technicianId: far.technicianId,
      appointment: soon,
    });

    expect(await transfersOf(ticketId)).toEqual([
      expect.objectContaining({ id: transfer.id, toLocationId: vanA, status: 'cancelled' }),
    ]);
    expect((await reservationsOf(ticketId)).filter((r) => r.status === 'reserved')).toEqual([
      expect.objectContaining({ locationId: far.vanId, sku: 'AC-CAP' }),
    ]);
  });

  it('keeps such a delivery coming when nothing else reaches the new technician, and says when it does', async () => {
    const far = await aTechnicianAcrossTown();
    const soon = await appointment(4, far.technicianId);
    const { ticketId, transfer } = await aTicketWithPartOnTheRoadToVanA(72, soon.start - 40 * minute);
    const ticket = await service.repos.tickets.assign(
      ticketId,
      { technicianId: far.technicianId, appointment: soon },
      systemActor('automation'),
    );

    const outcome = await automationSourcesCapacitor(ticket, { lat: 13.08, lon: 77.59 });

    expect(outcome).toMatchObject({ kind: 'unavailable', reason: 'too_late' });
    // At A's van when the transfer lands, at the new technician's only after the drive across town.
    expect((outcome as { earliestAt: number }).earliestAt).toBeGreaterThan(transfer.etaAt + 10 * minute);
    expect(await transfersOf(ticketId)).toEqual([
      expect.objectContaining({ id: transfer.id, toLocationId: vanA, status: 'in_transit' }),
    ]);
  });

  it('counts the drive on to the site when the new technician has no van of their own', async () => {
    const partnerVanless = (await call('POST', `/api/partners/${partnerId}/technicians`, aTechnician(), 201))
      .id;
    const soon = await appointment(4, partnerVanless);
    const { ticketId, transfer } = await aTicketWithPartOnTheRoadToVanA(72, soon.start - 40 * minute);
    const ticket = await service.repos.tickets.assign(
      ticketId,
      { technicianId: partnerVanless, appointment: soon },
      systemActor('automation'),
    );

    const outcome = await automationSourcesCapacitor(ticket, { lat: 12.96, lon: 77.59 });

    expect(outcome).toMatchObject({ kind: 'unavailable', reason: 'too_late' });
    // Not when it lands at A's van: the part is at the site only after the drive from there.
    expect((outcome as { earliestAt: number }).earliestAt).toBeGreaterThan(transfer.etaAt);
  });

  it('replaces a delivery that a visit moved forward outruns with a unit there in time', async () => {
    // Due at A's van the day before A's visit; then the visit moves to within hours, before it lands.
    const sooner = await appointment(4, techA);
    const { ticketId, transfer } = await aTicketWithPartOnTheRoadToVanA(72, sooner.start + hour);
    await call('POST', `/api/stock-locations/${vanA}/receipts`, { sku: 'AC-CAP', quantity: 1 });
    const inWarehouse = await available(warehouse, 'AC-CAP');

    await call('PUT', `/api/tickets/${ticketId}/assignment`, { technicianId: techA, appointment: sooner });

    expect(await transfersOf(ticketId)).toEqual([
      expect.objectContaining({ id: transfer.id, status: 'cancelled' }),
    ]);
    expect((await reservationsOf(ticketId)).filter((r) => r.status === 'reserved')).toEqual([
      expect.objectContaining({ locationId: vanA, sku: 'AC-CAP' }),
    ]);
    expect(await available(warehouse, 'AC-CAP')).toBe(inWarehouse + 1);
  });

  it('leaves the part alone when the same technician only gets a new appointment', async () => {
    const ticketId = await aTicketWithPartOnVanA();
    await call('POST', `/api/stock-locations/${vanB}/receipts`, { sku: 'AC-CAP', quantity: 1 });
    await call('PUT', `/api/tickets/${ticketId}/assignment`, {
      technicianId: techA,
      appointment: await appointment(54, techA),
    });
    const held = await reservationsOf(ticketId);
    expect(held).toEqual([expect.objectContaining({ locationId: vanA, status: 'reserved' })]);
  });

  it('moves it too when the automation sources the part for a job that changed hands', async () => {
    const ticketId = await aTicketWithPartOnVanA();
    // Reassigned by a path that does not move parts itself (the repository directly).
    const ticket = await service.repos.tickets.assign(
      ticketId,
      { technicianId: techB, appointment: await appointment(30, techB) },
      systemActor('automation'),
    );
    const outcome = await automationSourcesCapacitor(ticket, { lat: 12.96, lon: 77.59 });
    expect(outcome).toMatchObject({ kind: 'reserved', reservation: { locationId: vanB } });
    const held = (await reservationsOf(ticketId)).filter((r) => r.status === 'reserved');
    expect(held).toEqual([expect.objectContaining({ locationId: vanB, sku: 'AC-CAP' })]);
  });
});
