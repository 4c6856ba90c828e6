import type { Ticket, TicketPlace } from '@aftercare/core';
import type { CustomerRepository } from '../repositories/customer-repository.ts';
import type { DeviceRegistry } from '../repositories/device-registry.ts';

/*
 * Where a job is: whom to ask for and where to go. A technician may not read customers and sites,
 * so the tickets it may see carry them: a ticket's detail always, a list when asked.
 */

/** Reads a job's place needs: its device's site, the site, the customer. */
export interface PlaceReads {
  deviceSiteId(deviceId: string): Promise<string | null>;
  site: CustomerRepository['getSite'];
  customer: CustomerRepository['get'];
}

export const placeReads = (customers: CustomerRepository, devices: DeviceRegistry): PlaceReads => ({
  deviceSiteId: async (id) => (await devices.get(id))?.siteId ?? null,
  site: (id) => customers.getSite(id),
  customer: (id) => customers.get(id),
});

/** The same reads, each record read once: a list's jobs share customers, sites and devices. */
export function onceEach(reads: PlaceReads): PlaceReads {
  const once = <T>(read: (id: string) => Promise<T>) => {
    const seen = new Map<string, Promise<T>>();
    return (id: string) => {
      let hit = seen.get(id);
      if (!hit) {
        hit = read(id);
        seen.set(id, hit);
      }
      return hit;
    };
  };
  return { deviceSiteId: once(reads.deviceSiteId), site: once(reads.site), customer: once(reads.customer) };
}

/**
 * The customer to ask for and the site to go to: the ticket's own, else the device's current site
 * (a ticket opened before the device had one).
 */
export async function placeOf(ticket: Ticket, reads: PlaceReads): Promise<TicketPlace> {
  const siteId = ticket.siteId ?? (await reads.deviceSiteId(ticket.deviceId));
  const site = siteId === null ? null : await reads.site(siteId);
  const customerId = ticket.customerId ?? site?.customerId ?? null;
  const customer = customerId === null ? null : await reads.customer(customerId);
  return {
    customer: customer && {
      id: customer.id,
      name: customer.name,
      contactName: customer.contact.name ?? null,
      phone: customer.contact.phone ?? null,
    },
    site: site && { id: site.id, name: site.name, address: site.address, lat: site.lat, lon: site.lon },
  };
}
