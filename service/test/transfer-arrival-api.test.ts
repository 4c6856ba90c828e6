import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aDevice, aPartner, aStockLocation, aTechnician, hour } from './support/factories.ts';
import { aFreeVisit } from './support/free-visit.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/*
 * POST /api/transfers/:id/arrival over real HTTP: who may say a part has arrived. A technician
 * receives only the parts on their way to their own jobs; any other transfer is, to them, not there.
 */
describe('POST /api/transfers/:id/arrival', () => {
  let service: ServiceHarness;
  let planner: string;
  let mine: string;
  let other: string;
  let warehouseId: string;
  let depotId: string;
  let deviceId: string;
  let myTechnicianId: string;
  let otherTechnicianId: string;

  const post = async (path: string, body: unknown, status = 201) => {
    const res = await service.api(path, { method: 'POST', token: planner, body });
    expect(res.status, `${path} ${res.text}`).toBe(status);
    return res.body;
  };

  /** A ticket, scheduled with `technicianId` when given, and a part in transit for it. */
  async function aTransferFor(
    technicianId: string | null,
  ): Promise<{ ticketId: string; transferId: string }> {
    const ticket = await post('/api/tickets', {
      deviceId,
      description: 'Outdoor fan grinding',
      failureMode: 'condenser_fan_bearing',
    });
    if (technicianId !== null) {
      await post(
        `/api/tickets/${ticket.id}/transitions`,
        {
          to: 'scheduled',
          technicianId,
          appointment: await aFreeVisit(service, technicianId, 120, Date.now() + 4 * hour),
        },
        200,
      );
    }
    const transfer = await post('/api/transfers', {
      fromLocationId: warehouseId,
      toLocationId: depotId,
      sku: 'AC-FANMOTOR',
      quantity: 1,
      etaAt: Date.now() + 2 * hour,
      ticketId: ticket.id,
    });
    return { ticketId: ticket.id, transferId: transfer.id };
  }

  const arrive = (transferId: string, token: string) =>
    service.api(`/api/transfers/${transferId}/arrival`, { method: 'POST', token });

  beforeAll(async () => {
    service = await startService();
    planner = await service.login({ email: 'planner@example.com', role: 'planner' });
    const customer = await post('/api/customers', aCustomer());
    deviceId = (await post('/api/devices', aDevice({ customerId: customer.id }))).id;
    const partner = await post('/api/partners', aPartner());
    myTechnicianId = (await post(`/api/partners/${partner.id}/technicians`, aTechnician())).id;
    otherTechnicianId = (await post(`/api/partners/${partner.id}/technicians`, aTechnician())).id;
    warehouseId = (await post('/api/stock-locations', aStockLocation())).id;
    depotId = (
      await post('/api/stock-locations', aStockLocation({ kind: 'partner_depot', partnerId: partner.id }))
    ).id;
    await post(`/api/stock-locations/${warehouseId}/receipts`, { sku: 'AC-FANMOTOR', quantity: 20 }, 200);
    mine = await service.login({
      email: 'mine@example.com',
      role: 'technician',
      technicianId: myTechnicianId,
    });
    other = await service.login({
      email: 'other@example.com',
      role: 'technician',
      technicianId: otherTechnicianId,
    });
  });
  afterAll(() => service.close());

  it('lets a technician receive the part on its way to their own job; it is then reserved for it', async () => {
    const { ticketId, transferId } = await aTransferFor(myTechnicianId);
    const res = await arrive(transferId, mine);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: transferId, status: 'arrived' });
    const detail = (await service.api(`/api/tickets/${ticketId}`, { token: planner })).body;
    expect(detail.reservations).toMatchObject([
      { locationId: depotId, sku: 'AC-FANMOTOR', status: 'reserved' },
    ]);
  });

  it('answers 404 to a technician for a transfer to another technician’s job, and changes nothing', async () => {
    const { transferId } = await aTransferFor(myTechnicianId);
    const res = await arrive(transferId, other);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
    const missing = await arrive('no-such-transfer', other);
    expect(missing.status).toBe(404);
    // The answer to a real id someone else owns reads as the answer to an id that does not exist.
    expect(res.body.message.replace(transferId, 'ID')).toBe(
      missing.body.message.replace('no-such-transfer', 'ID'),
    );
    const transfer = (await service.api(`/api/transfers?status=in_transit&limit=100`, { token: planner }))
      .body;
    expect(transfer.items.map((t: { id: string }) => t.id)).toContain(transferId);
  });

  it('answers 404 to a technician for a transfer bound to an unassigned ticket or to no ticket', async () => {
    const { transferId: unassigned } = await aTransferFor(null);
    expect((await arrive(unassigned, mine)).status).toBe(404);
    const restock = await post('/api/transfers', {
      fromLocationId: warehouseId,
      toLocationId: depotId,
      sku: 'AC-FANMOTOR',
      quantity: 1,
      etaAt: Date.now() + 2 * hour,
    });
    expect((await arrive(restock.id, mine)).status).toBe(404);
    // The office receives both.
    expect((await arrive(unassigned, planner)).status).toBe(200);
    expect((await arrive(restock.id, planner)).status).toBe(200);
  });

  it('lets planners and admins receive any transfer', async () => {
    const { transferId } = await aTransferFor(myTechnicianId);
    const res = await service.api(`/api/transfers/${transferId}/arrival`, { method: 'POST' });
    expect(res.status, res.text).toBe(200);
    // Received once: a second arrival is a conflict, not a second batch of stock.
    expect((await arrive(transferId, planner)).status).toBe(409);
  });

  it('follows the job when it is reassigned: the new technician receives it, the previous one no longer can', async () => {
    const { ticketId, transferId } = await aTransferFor(myTechnicianId);
    const reassigned = await service.api(`/api/tickets/${ticketId}/assignment`, {
      method: 'PUT',
      token: planner,
      body: {
        technicianId: otherTechnicianId,
        appointment: await aFreeVisit(service, otherTechnicianId, 120, Date.now() + 6 * hour),
      },
    });
    expect(reassigned.status, reassigned.text).toBe(200);
    expect((await arrive(transferId, mine)).status).toBe(404);
    expect((await arrive(transferId, other)).status).toBe(200);
  });
});
