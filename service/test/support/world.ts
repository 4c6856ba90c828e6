import type { Ticket } from '@aftercare/core';
import type { ServiceDatabase } from '../../src/db/database.ts';
import { EventBus } from '../../src/events/event-bus.ts';
import { type Actor, systemActor } from '../../src/principal.ts';
import { CatalogueRepository } from '../../src/repositories/catalogue-repository.ts';
import { ContractRepository } from '../../src/repositories/contract-repository.ts';
import { ContractVisitRepository } from '../../src/repositories/contract-visit-repository.ts';
import { CustomerRepository } from '../../src/repositories/customer-repository.ts';
import { DeviceRegistry } from '../../src/repositories/device-registry.ts';
import { FeedbackRepository } from '../../src/repositories/feedback-repository.ts';
import { PartnerRepository } from '../../src/repositories/partner-repository.ts';
import { PredictiveTicketRepository } from '../../src/repositories/predictive-ticket-repository.ts';
import { StockRepository } from '../../src/repositories/stock-repository.ts';
import { TicketRepository } from '../../src/repositories/ticket-repository.ts';
import { TransferRepository } from '../../src/repositories/transfer-repository.ts';
import { UserRepository } from '../../src/repositories/user-repository.ts';
import { aCustomer, aDevice, aPartner, aSite, aTechnician } from './factories.ts';

export const planner: Actor = { id: 'user:planner', role: 'planner', customerId: null, technicianId: null };
export const automation = systemActor('automation');
export const technicianActor = (technicianId: string): Actor => ({
  id: `user:${technicianId}`,
  role: 'technician',
  customerId: null,
  technicianId,
});

/** Every repository over one database and one clock the test can move. */
export function repositories(db: ServiceDatabase, start = Date.UTC(2026, 10, 26, 8)) {
  const time = { now: start };
  const clock = () => time.now;
  const events = new EventBus();
  return {
    time,
    clock,
    events,
    devices: new DeviceRegistry(db, () => time.now),
    customers: new CustomerRepository(db, clock),
    partners: new PartnerRepository(db, clock),
    tickets: new TicketRepository(db, { clock, events }),
    predictive: new PredictiveTicketRepository(db, { clock, events }),
    stock: new StockRepository(db, { clock, events }),
    transfers: new TransferRepository(db, { clock, events }),
    contracts: new ContractRepository(db, { clock, events }),
    visits: new ContractVisitRepository(db, { clock, events }),
    feedback: new FeedbackRepository(db, clock),
    catalogue: new CatalogueRepository(db, clock),
    users: new UserRepository(db, { clock, sessionHours: 12 }),
  };
}

export type Repositories = ReturnType<typeof repositories>;

/** A customer with a site, a split AC there, and a partner with one certified technician. */
export async function aServiceScene(repos: Repositories, options: { warrantyEndsAt?: number } = {}) {
  const customer = await repos.customers.create(aCustomer());
  const site = await repos.customers.createSite(customer.id, aSite());
  const { device } = await repos.devices.provision(
    aDevice({
      customerId: customer.id,
      siteId: site.id,
      installedAt: '2024-03-01T00:00:00Z',
      ...(options.warrantyEndsAt === undefined ? {} : { warrantyEndsAt: options.warrantyEndsAt }),
    }),
  );
  const partner = await repos.partners.createPartner(aPartner());
  const technician = await repos.partners.createTechnician(partner.id, aTechnician());
  return { customer, site, device, partner, technician };
}

/** Walks a ticket to on_site with the technician, as the office and the technician would. */
export async function ticketOnSite(
  repos: Repositories,
  ticket: Ticket,
  technicianId: string,
): Promise<Ticket> {
  const start = repos.time.now + 2 * 3_600_000;
  await repos.tickets.transition(
    ticket.id,
    { to: 'scheduled', technicianId, appointment: { start, end: start + 2 * 3_600_000 } },
    planner,
  );
  await repos.tickets.transition(ticket.id, { to: 'dispatched' }, technicianActor(technicianId));
  return repos.tickets.transition(ticket.id, { to: 'on_site' }, technicianActor(technicianId));
}
