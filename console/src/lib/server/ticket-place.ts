import type { TicketDetail, TicketPlace } from '@aftercare/core';

/**
 * Where a job is, as the ticket pages show it: the customer with a number to dial, the site with a
 * link to its position on OpenStreetMap (a link only: the page loads nothing from there).
 */

export interface PlaceView {
  customer: {
    name: string;
    contactName: string | null;
    phone: string | null;
    phoneHref: string | null;
  } | null;
  site: { name: string; address: string; lat: number; lon: number; mapUrl: string } | null;
}

/** An OpenStreetMap link centred on a position: a link only, nothing is loaded from the page. */
export function mapUrl(lat: number, lon: number): string {
  const [la, lo] = [lat.toFixed(5), lon.toFixed(5)];
  return `https://www.openstreetmap.org/?mlat=${la}&mlon=${lo}#map=17/${la}/${lo}`;
}

/** Whom to ask for and where to go, from the ticket's customer and site; null when neither is known. */
export function placeView(place: TicketDetail['place']): PlaceView | null {
  if (!place || (place.customer === null && place.site === null)) return null;
  const { customer, site } = place;
  return {
    customer: customer && {
      name: customer.name,
      contactName: customer.contactName !== customer.name ? customer.contactName : null,
      phone: customer.phone,
      phoneHref: customer.phone ? `tel:${customer.phone.replace(/[^+0-9]/g, '')}` : null,
    },
    site: site && {
      name: site.name,
      address: site.address,
      lat: site.lat,
      lon: site.lon,
      mapUrl: mapUrl(site.lat, site.lon),
    },
  };
}

/** Where a job is, in a line of the technician's list: whom, the area of the city, and a map. */
export interface JobPlaceLine {
  who: string;
  /** The site's name when it is not named after the customer already ("Head office"). */
  site: string | null;
  area: string | null;
  mapUrl: string | null;
}

/**
 * The area of an address written "number, street, area, city": the part before the city, which is
 * what a technician plans a day's driving by. A shorter address is shown whole.
 */
export function areaOfAddress(address: string): string {
  const parts = address
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.length >= 3 ? (parts[parts.length - 2] ?? address) : address.trim();
}

export function jobPlaceLine(place: TicketPlace | undefined): JobPlaceLine | null {
  if (!place || (place.customer === null && place.site === null)) return null;
  const { customer, site } = place;
  const who = customer?.name ?? site?.name ?? '';
  return {
    who,
    site: site && customer && !site.name.includes(customer.name) ? site.name : null,
    area: site ? areaOfAddress(site.address) : null,
    mapUrl: site ? mapUrl(site.lat, site.lon) : null,
  };
}
