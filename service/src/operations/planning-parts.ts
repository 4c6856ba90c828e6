import {
  catalog,
  type DeviceModel,
  type PartShortfall,
  type Risk,
  type StockLevel,
  type StockOverview,
} from '@aftercare/core';
import { defaultRiskThresholds } from '../automation/risk-policy.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { collectPages, page } from './planning-data.ts';

/**
 * Spare parts as the planner's parts page shows them: what every location holds, what is reserved
 * and on the road, and which parts will run short against the demand the current risks predict.
 */

/** Every location with its stock, the transfers in flight and the reservations still held. */
export async function stockOverview(repos: ServiceRepositories): Promise<StockOverview> {
  const [locations, partners, technicians, transfers, reservations] = await Promise.all([
    collectPages((offset) => repos.stock.listLocations({ limit: page, offset })),
    collectPages((offset) => repos.partners.listPartners({ limit: page, offset })),
    collectPages((offset) => repos.partners.listTechnicians({ limit: page, offset })),
    collectPages((offset) => repos.transfers.listTransfers({ status: 'in_transit', limit: page, offset })),
    collectPages((offset) => repos.stock.listReservations({ status: 'reserved', limit: page, offset })),
  ]);
  const partnerName = new Map(partners.map((p) => [p.id, p.name]));
  const technicianName = new Map(technicians.map((t) => [t.id, t.name]));
  const locationName = new Map(locations.map((l) => [l.id, l.name]));
  const kindOrder = { central_warehouse: 0, partner_depot: 1, van: 2 } as const;
  const stockByLocation = await repos.stock.stockEverywhere();
  const withLevels = await Promise.all(
    locations.map(async (l) => {
      const levels = stockByLocation.get(l.id) ?? [];
      const sum = (f: (x: StockLevel) => number) => levels.reduce((s, x) => s + f(x), 0);
      return {
        id: l.id,
        name: l.name,
        kind: l.kind,
        partnerName: l.partnerId === null ? null : (partnerName.get(l.partnerId) ?? l.partnerId),
        technicianName: l.technicianId === null ? null : (technicianName.get(l.technicianId) ?? null),
        onHand: sum((x) => x.onHand),
        reserved: sum((x) => x.reserved),
        available: sum((x) => x.available),
        levels: levels.map((x) => ({
          sku: x.sku,
          onHand: x.onHand,
          reserved: x.reserved,
          available: x.available,
        })),
      };
    }),
  );
  withLevels.sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind] || a.name.localeCompare(b.name));
  const shown = reservations.slice(0, 200);
  const ticketIds = [...new Set(shown.map((r) => r.ticketId))];
  const ticketTitles = new Map(
    await Promise.all(
      ticketIds.map(async (id) => [id, (await repos.tickets.get(id))?.title ?? null] as const),
    ),
  );
  return {
    locations: withLevels,
    transfers: transfers
      .sort((a, b) => a.etaAt - b.etaAt)
      .map((t) => ({
        id: t.id,
        sku: t.sku,
        quantity: t.quantity,
        fromName: locationName.get(t.fromLocationId) ?? t.fromLocationId,
        toName: locationName.get(t.toLocationId) ?? t.toLocationId,
        ticketId: t.ticketId,
        createdAt: t.createdAt,
        etaAt: t.etaAt,
      })),
    reservations: shown.map((r) => ({
      id: r.id,
      ticketId: r.ticketId,
      ticketTitle: ticketTitles.get(r.ticketId) ?? null,
      sku: r.sku,
      quantity: r.quantity,
      locationName: locationName.get(r.locationId) ?? r.locationId,
      createdAt: r.createdAt,
    })),
  };
}

/** The SKU that fixes a failure mode of a model, from the catalogue. */
function partFor(model: DeviceModel, failureModeId: string): string | null {
  return catalog[model].failureModes.find((m) => m.id === failureModeId)?.part ?? null;
}

const openStatuses = ['open', 'scheduled', 'dispatched', 'on_site'] as const;

/**
 * Parts that will run short: for each catalogue part, the device components whose latest risk is at
 * or above their model's ticket threshold and that the part fixes, less those whose ticket already has
 * the part reserved or on its way, against the units free at every location or moving there unpromised.
 */
export async function partsShortfall(
  repos: ServiceRepositories,
  risks: readonly Risk[],
): Promise<PartShortfall[]> {
  const [parts, tickets, reservations, transfers, stockByLocation] = await Promise.all([
    collectPages((offset) => repos.catalogue.listParts({ limit: page, offset })),
    // Every open ticket carrying a repair: predictive ones, and AMC visits a repair was folded into.
    collectPages((offset) => repos.tickets.list({ status: [...openStatuses], limit: page, offset })),
    collectPages((offset) => repos.stock.listReservations({ status: 'reserved', limit: page, offset })),
    collectPages((offset) => repos.transfers.listTransfers({ status: 'in_transit', limit: page, offset })),
    repos.stock.stockEverywhere(),
  ]);
  const answered = new Set([
    ...reservations.map((r) => `${r.ticketId}/${r.sku}`),
    ...transfers.filter((t) => t.ticketId !== null).map((t) => `${t.ticketId}/${t.sku}`),
  ]);
  const ticketOf = new Map(
    tickets.filter((t) => t.component !== null).map((t) => [`${t.deviceId}/${t.component}`, t.id]),
  );
  const demand = new Map<string, { atRisk: number; expected: number; covered: number }>();
  for (const risk of risks) {
    if (risk.pFail < defaultRiskThresholds[risk.model].pOpen) continue;
    const sku = partFor(risk.model, risk.failureMode);
    if (sku === null) continue;
    const entry = demand.get(sku) ?? { atRisk: 0, expected: 0, covered: 0 };
    entry.atRisk++;
    entry.expected += risk.pFail;
    const ticketId = ticketOf.get(`${risk.deviceId}/${risk.component}`);
    if (ticketId !== undefined && answered.has(`${ticketId}/${sku}`)) entry.covered++;
    demand.set(sku, entry);
  }
  const stock = new Map<string, { onHand: number; reserved: number; available: number; places: number }>();
  for (const levels of stockByLocation.values()) {
    for (const level of levels) {
      const s = stock.get(level.sku) ?? { onHand: 0, reserved: 0, available: 0, places: 0 };
      s.onHand += level.onHand;
      s.reserved += level.reserved;
      s.available += level.available;
      if (level.available > 0) s.places++;
      stock.set(level.sku, s);
    }
  }
  const moving = new Map<string, number>();
  for (const t of transfers)
    if (t.ticketId === null) moving.set(t.sku, (moving.get(t.sku) ?? 0) + t.quantity);

  const rows = parts.map((part): PartShortfall => {
    const d = demand.get(part.sku) ?? { atRisk: 0, expected: 0, covered: 0 };
    const s = stock.get(part.sku) ?? { onHand: 0, reserved: 0, available: 0, places: 0 };
    const inTransit = moving.get(part.sku) ?? 0;
    const open = d.atRisk - d.covered;
    const free = s.available + inTransit;
    const shortBy = Math.max(0, open - free);
    return {
      sku: part.sku,
      name: part.name,
      model: part.model,
      failureModes: part.failureModes,
      atRisk: d.atRisk,
      expectedFailures: Math.round(d.expected * 100) / 100,
      covered: d.covered,
      onHand: s.onHand,
      reserved: s.reserved,
      available: s.available,
      inTransit,
      locationsWithStock: s.places,
      shortBy,
      // Tight: the free units would cover the open demand less than twice over, or none are free at all.
      status: shortBy > 0 ? 'short' : open > 0 && free < 2 * open ? 'tight' : free === 0 ? 'tight' : 'ok',
    };
  });
  const rank = { short: 0, tight: 1, ok: 2 } as const;
  return rows.sort(
    (a, b) =>
      rank[a.status] - rank[b.status] ||
      b.shortBy - a.shortBy ||
      b.atRisk - a.atRisk ||
      a.sku.localeCompare(b.sku),
  );
}
